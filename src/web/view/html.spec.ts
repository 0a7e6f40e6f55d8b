import { html, jsonScript, raw, render } from './html.js';

describe('html tagged template', () => {
  it('escapes every interpolated string, number and nested array', () => {
    const name = `<img src=x onerror="alert('1')">&`;
    expect(render(html`<p title="${name}">${name}</p>`)).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
    );
    expect(render(html`<ul>${['<a>', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`)).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  it('keeps nested templates and raw() as markup, and renders nothing for null, undefined and false', () => {
    expect(render(html`<div>${html`<b>${'x'}</b>`}${raw('<br>')}${null}${undefined}${false}${0}</div>`)).toBe('<div><b>x</b><br>0</div>');
  });

  it('never lets JSON data close its script element', () => {
    const out = render(jsonScript('d', { label: '</script><script>alert(1)</script>', amp: '&' }));
    expect(out).not.toContain('</script><script>');
    expect(JSON.parse(/>(.*)<\/script>$/.exec(out)![1])).toEqual({ label: '</script><script>alert(1)</script>', amp: '&' });
  });
});
