import { createMember } from './member-fixtures.js';
import { bearer, inDays } from './outlet-fixtures.js';
import type { TestApp } from './test-app.js';
import { webClient, type WebClient } from './web-fixtures.js';

export interface WebSeat {
  memberId: string;
  cardNumber: string;
}

/** n members seated on the committee (PIN 4821), with their card numbers for the member login form. */
export async function seatWebCommittee(t: TestApp, caisseId: string, adminToken: string, n: number): Promise<WebSeat[]> {
  const seats: WebSeat[] = [];
  for (let i = 0; i < n; i++) {
    const m = await createMember(t, caisseId, adminToken, { pin: '4821' });
    const res = await t.http
      .post(`/api/v1/caisses/${caisseId}/committee/mandates`)
      .set(bearer(adminToken))
      .send({ memberId: m.id, designation: 'volunteer', position: 'membre', startsOn: inDays(-30), endsOn: inDays(365), cohort: (i % 3) + 1 });
    if (res.status !== 201) throw new Error(`mandate failed: ${res.status} ${JSON.stringify(res.body)}`);
    seats.push({ memberId: m.id, cardNumber: m.cardNumber! });
  }
  return seats;
}

/** A member logged in through the member login form. */
export async function webMember(t: TestApp, caisseId: string, seat: WebSeat): Promise<WebClient> {
  const client = webClient(t);
  await client.get(`/caisses/${caisseId}/membre/connexion`);
  const res = await client.post(`/caisses/${caisseId}/membre/connexion`, { cardNumber: seat.cardNumber, pin: '4821' });
  if (res.status !== 303) throw new Error(`member login failed: ${res.status}`);
  // The session's CSRF token replaces the login form's: read it from a page.
  await client.get(`/caisses/${caisseId}/comite/decisions`);
  return client;
}
