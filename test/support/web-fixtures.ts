import type { TestApp } from './test-app.js';

/** A browser's state for supertest: its cookies, and the CSRF token of the last page it read. */
export interface WebClient {
  cookies: Map<string, string>;
  csrf?: string;
  cookieHeader(): string;
  get(path: string): Promise<import('supertest').Response>;
  /** A form post with the client's cookies and CSRF token (unless `csrf: false`). */
  post(path: string, form: Record<string, string>, opts?: { csrf?: boolean }): Promise<import('supertest').Response>;
}

export function webClient(t: TestApp): WebClient {
  const cookies = new Map<string, string>();
  const client: WebClient = {
    cookies,
    cookieHeader: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    async get(path) {
      const res = await t.http.get(path).set('Cookie', client.cookieHeader()).set('Accept', 'text/html');
      absorb(res);
      return res;
    },
    async post(path, form, opts = {}) {
      const body = new URLSearchParams({ ...(opts.csrf === false || !client.csrf ? {} : { _csrf: client.csrf }), ...form }).toString();
      const res = await t.http.post(path).set('Cookie', client.cookieHeader()).set('Accept', 'text/html').type('application/x-www-form-urlencoded').send(body);
      absorb(res);
      return res;
    },
  };
  function absorb(res: import('supertest').Response): void {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const c of set ?? []) {
      const [pair, ...attrs] = c.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) cookies.delete(name);
      else cookies.set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '')?.[1];
    if (token) client.csrf = token;
  }
  return client;
}

/** The email of the user newCaisse() created for a role (its password is `password-<role>-123`). */
export async function roleEmail(t: TestApp, caisseId: string, role: string): Promise<string> {
  const [row] = await t.sql<{ email: string }>(
    `SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.caisse_id = $1 AND r.role = $2 ORDER BY u.email LIMIT 1`,
    [caisseId, role],
  );
  return row.email;
}

/** A client logged in through the web login form as the caisse's user of that role. */
export async function webLogin(t: TestApp, caisseId: string, role: 'admin' | 'treasurer' | 'committee' | 'cashier' | 'member'): Promise<WebClient> {
  const client = webClient(t);
  await client.get('/connexion');
  const res = await client.post('/connexion', { email: await roleEmail(t, caisseId, role), password: `password-${role}-123` });
  if (res.status !== 303) throw new Error(`web login as ${role} failed: ${res.status}`);
  await client.get('/');
  return client;
}
