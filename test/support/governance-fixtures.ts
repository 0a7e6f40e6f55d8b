import { createMember, memberLogin } from './member-fixtures.js';
import { bearer, inDays } from './outlet-fixtures.js';
import type { TestApp } from './test-app.js';

export interface Seat {
  memberId: string;
  token: string;
}

/** n members seated on the committee (in office from a month ago for a year), each logged in with card and PIN. */
export async function seatCommittee(t: TestApp, caisseId: string, adminToken: string, n: number): Promise<Seat[]> {
  const seats: Seat[] = [];
  for (let i = 0; i < n; i++) {
    const m = await createMember(t, caisseId, adminToken, { pin: '4821' });
    const res = await t.http
      .post(`/api/v1/caisses/${caisseId}/committee/mandates`)
      .set(bearer(adminToken))
      .send({ memberId: m.id, designation: i % 2 ? 'drawn' : 'volunteer', position: 'membre', startsOn: inDays(-30), endsOn: inDays(365), cohort: (i % 3) + 1 });
    if (res.status !== 201) throw new Error(`mandate failed: ${res.status} ${JSON.stringify(res.body)}`);
    seats.push({ memberId: m.id, token: await memberLogin(t, caisseId, m.cardNumber!, '4821') });
  }
  return seats;
}

/** A decision opening now and closing tomorrow; `body` sets subject, method and the rest. */
export function decisionBody(body: Record<string, unknown>): Record<string, unknown> {
  return {
    title: 'Point soumis au comité',
    secret: false,
    opensAt: new Date().toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...body,
  };
}

export async function openDecision(t: TestApp, caisseId: string, token: string, body: Record<string, unknown>): Promise<{ id: string; [k: string]: unknown }> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/decisions`).set(bearer(token)).send(decisionBody(body));
  if (res.status !== 201) throw new Error(`decision failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const vote = (t: TestApp, caisseId: string, decisionId: string, token: string, ballot: Record<string, unknown>) =>
  t.http.post(`/api/v1/caisses/${caisseId}/decisions/${decisionId}/ballots`).set(bearer(token)).send(ballot);

export const closeDecision = (t: TestApp, caisseId: string, decisionId: string, token: string, body: Record<string, unknown> = {}) =>
  t.http.post(`/api/v1/caisses/${caisseId}/decisions/${decisionId}/close`).set(bearer(token)).send(body);
