import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { bearer, createMember, type CreatedMember, post } from './member-fixtures.js';
import { conventionnedOutlet } from './outlet-fixtures.js';
import type { TestApp } from './test-app.js';

export interface Shop {
  caisseId: string;
  tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  outlet: { id: string; accountCode: string; name: string };
  apiKey: string;
}

/** A caisse with one conventionné outlet (rates: fruits-legumes 1, epicerie 0.70, * 0.30) and a terminal key. */
export async function shop(t: TestApp, rates = [{ category: 'fruits-legumes', rate: '1' }, { category: 'epicerie', rate: '0.70' }, { category: '*', rate: '0.30' }]): Promise<Shop> {
  const { caisseId, tokens } = await t.newCaisse();
  const outlet = await conventionnedOutlet(t, caisseId, tokens.admin);
  const cov = await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${outlet.id}/coverage`).set(bearer(tokens.admin)).send({ effectiveFrom: todayInFrance(), rates });
  if (cov.status !== 201) throw new Error(`coverage failed: ${cov.status} ${JSON.stringify(cov.body)}`);
  const apiKey = await terminalKey(t, caisseId, outlet.id, tokens.admin);
  return { caisseId, tokens, outlet, apiKey };
}

export async function terminalKey(t: TestApp, caisseId: string, outletId: string, token: string): Promise<string> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${outletId}/terminals`).set(bearer(token)).send({ label: `Till ${randomUUID().slice(0, 6)}` });
  if (res.status !== 201) throw new Error(`terminal failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.apiKey as string;
}

/** An active member with PIN 4821 and `balance` on the wallet. */
export async function buyer(t: TestApp, s: Shop, balance: string): Promise<CreatedMember> {
  const m = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
  if (balance !== '0.00') await post(t, s.caisseId, 'ALL', 'Allocation', [{ account: '6571', debit: balance }, { account: m.walletAccount!, credit: balance }]);
  return m;
}

export const newKey = () => `p-${randomUUID()}`;

export function buy(t: TestApp, s: Shop, body: Record<string, unknown>, key: string | null = newKey(), apiKey = s.apiKey) {
  const req = t.http.post(`/api/v1/caisses/${s.caisseId}/purchases`).set('X-Api-Key', apiKey);
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
}

export async function balanceOf(t: TestApp, s: Shop, m: CreatedMember): Promise<string> {
  const res = await t.http.get(`/api/v1/caisses/${s.caisseId}/members/${m.id}/wallet`).set(bearer(s.tokens.admin));
  return res.body.balance as string;
}
