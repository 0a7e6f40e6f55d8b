/**
 * The view layer: TypeScript tagged templates, type-checked with the rest of the code, no build step. `html` escapes
 * every interpolation unless it is already SafeHtml (the result of another `html` or of `raw`), so markup can only
 * come from templates written here; arrays are joined, null/undefined/false render nothing.
 */
const SAFE = Symbol('SafeHtml');

export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

export type Renderable = SafeHtml | string | number | null | undefined | false | readonly Renderable[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as SafeHtml)[SAFE] === true;
}

/** Trusted markup only (a constant, or the output of a vetted serializer): never user input. */
export function raw(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

export function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: Renderable) => render(v)).join('');
  if (isSafe(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return raw(out);
}

/** JSON for a `<script type="application/json">` block: `<` escaped so the data can never close the element. */
export function jsonScript(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return html`<script type="application/json" id="${id}">${raw(json)}</script>`;
}
