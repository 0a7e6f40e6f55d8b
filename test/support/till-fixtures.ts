import { randomUUID } from 'node:crypto';
import type { Shop } from './purchase-fixtures.js';
import type { TestApp } from './test-app.js';
import { webClient, type WebClient } from './web-fixtures.js';

/** A browser paired as the shop's till with its terminal key (a till session). */
export async function tillClient(t: TestApp, s: Shop, apiKey = s.apiKey): Promise<WebClient> {
  const client = webClient(t);
  await client.get(`/caisses/${s.caisseId}/caisse-enregistreuse/appairage`);
  const res = await client.post(`/caisses/${s.caisseId}/caisse-enregistreuse/appairage`, { key: apiKey });
  if (res.status !== 303) throw new Error(`till pairing failed: ${res.status}`);
  await client.get(`/caisses/${s.caisseId}/caisse-enregistreuse`);
  return client;
}

export const tillKey = () => `till-${randomUUID()}`;

/** A JSON post of the till script: cookies and the X-CSRF-Token header. */
export function tillJson(t: TestApp, client: WebClient, path: string, body: unknown, opts: { form?: boolean } = {}) {
  const req = t.http.post(path).set('Cookie', client.cookieHeader()).set('Accept', 'application/json').set('X-CSRF-Token', client.csrf ?? '');
  return opts.form ? req.type('application/x-www-form-urlencoded').send(new URLSearchParams(body as Record<string, string>).toString()) : req.send(body as object);
}
