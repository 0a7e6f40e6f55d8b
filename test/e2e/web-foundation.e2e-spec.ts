import { createTestApp, type TestApp } from '../support/test-app.js';
import { roleEmail, webClient, webLogin } from '../support/web-fixtures.js';

describe('Web foundation: sessions, CSRF, headers, assets (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId } = await t.newCaisse());
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(() => t.close());

  it('serves French HTML pages with the strict CSP and security headers', async () => {
    const res = await webClient(t).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.text).not.toMatch(/<script>(?!\s*<)|<script(?![^>]*\b(src|type="application\/json")\b)[^>]*>|\sstyle=|\son[a-z]+=/i);
  });

  it('logs a treasurer in with a session cookie (httpOnly, SameSite=Lax), shows the dashboard, and logs out', async () => {
    const client = webClient(t);
    await client.get('/connexion');
    expect(client.csrf).toBeDefined();
    const res = await client.post('/connexion', { email: await roleEmail(t, caisseId, 'treasurer'), password: 'password-treasurer-123' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('caisse_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM web_sessions WHERE user_id IS NOT NULL AND id_hash = sha256(convert_to($1, 'UTF8'))`, [client.cookies.get('caisse_session')]);
    expect(n).toBe(1);

    const dashboard = await client.get(`/caisses/${caisseId}/tableau-de-bord`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text.match(/<h1[ >]/g)).toHaveLength(1);
    expect(dashboard.text).toContain('Tableau de bord');

    const out = await client.post('/deconnexion', {});
    expect(out.status).toBe(303);
    const [{ left }] = await t.sql<{ left: number }>(`SELECT count(*)::int AS left FROM web_sessions WHERE id_hash = sha256(convert_to($1, 'UTF8'))`, [cookie.split(';')[0].split('=')[1]]);
    expect(left).toBe(0);
    const again = await client.get(`/caisses/${caisseId}/tableau-de-bord`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/connexion?retour=${encodeURIComponent(`/caisses/${caisseId}/tableau-de-bord`)}`);
  });

  it('marks the session cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const proxied = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const client = webClient(proxied);
      await client.get('/connexion');
      const res = await proxied.http
        .post('/connexion')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', client.cookieHeader())
        .type('form')
        .send(new URLSearchParams({ _csrf: client.csrf!, email: 'platform-admin@test.caisse', password: 'test-admin-password-123' }).toString());
      expect(res.status).toBe(303);
      expect((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('caisse_session='))).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a form posted without its CSRF token, or with another session’s', async () => {
    const client = webClient(t);
    await client.get('/connexion');
    const noToken = await client.post('/connexion', { email: 'x@y.z', password: 'p' }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Ce formulaire a expiré');

    const treasurer = await webLogin(t, caisseId, 'treasurer');
    const other = await webLogin(t, caisseId, 'admin');
    treasurer.csrf = other.csrf;
    const forged = await treasurer.post('/deconnexion', {});
    expect(forged.status).toBe(403);
    const asJson = await t.http.post('/deconnexion').set('Cookie', other.cookieHeader()).set('Accept', 'application/json').type('form').send('a=1');
    expect(asJson.status).toBe(403);
    expect(asJson.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(asJson.body.code).toBe('CSRF_REJECTED');
  });

  it('answers a wrong password with the login form again (401), in French', async () => {
    const client = webClient(t);
    await client.get('/connexion');
    const res = await client.post('/connexion', { email: await roleEmail(t, caisseId, 'treasurer'), password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Adresse e-mail ou mot de passe incorrect.');
  });

  it('applies the API’s roles: a cashier gets 403 on the dashboard, an outsider 404', async () => {
    const cashier = await webLogin(t, caisseId, 'cashier');
    expect((await cashier.get(`/caisses/${caisseId}/tableau-de-bord`)).status).toBe(403);
    const { caisseId: other } = await t.newCaisse();
    const outsider = await webLogin(t, other, 'treasurer');
    const res = await outsider.get(`/caisses/${caisseId}/tableau-de-bord`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page introuvable');
  });

  it('never accepts the session cookie on the API, and keeps refusing form bodies there', async () => {
    const client = await webLogin(t, caisseId, 'treasurer');
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', client.cookieHeader())).status).toBe(401);
    const form = await t.http.post('/api/v1/auth/login').type('form').send('email=a&password=b');
    expect(form.status).toBe(415);
  });

  it('cleans form bodies like JSON ones: a NUL is a 400 naming the field', async () => {
    const client = webClient(t);
    await client.get('/connexion');
    const res = await client.post('/connexion', { email: 'a\u0000b@x.fr', password: 'p' });
    expect(res.status).toBe(400);
  });

  it('serves whitelisted assets with a long cache under their current hash, and nothing else', async () => {
    const page = await webClient(t).get('/connexion');
    const css = /href="(\/assets\/[0-9a-f]{12}\/app\.css)"/.exec(page.text)![1];
    const res = await t.http.get(css);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const htmx = /src="(\/assets\/[0-9a-f]{12}\/htmx\.min\.js)"/.exec(page.text)![1];
    expect((await t.http.get(htmx)).status).toBe(200);
    expect((await t.http.get('/assets/0/package.json')).status).toBe(404);
    expect((await t.http.get('/assets/0/..%2Fpackage.json')).status).toBe(404);
  });
});
