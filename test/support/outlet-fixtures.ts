import { todayInFrance } from '../../src/common/dates.js';
import { randomInt } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** Fresh valid identifiers, so each test registers outlets that do not collide on SIRET. */

function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) {
    const digits = partial + d;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let x = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return String(d);
  }
  throw new Error('unreachable');
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export function siret(): string {
  const head = `${randomInt(1, 10)}${digits(7)}`;
  // Never La Poste's SIREN, whose SIRETs follow another rule.
  if (head === '35600000') return siret();
  const siren = head + luhnCheckDigit(head);
  const nic = digits(4);
  return siren + nic + luhnCheckDigit(siren + nic);
}

function mod97(s: string): number {
  let r = 0;
  for (const c of s) {
    const v = /[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}

/** A French IBAN with a right RIB key and right check digits. */
export function iban(): string {
  const bank = digits(5);
  const branch = digits(5);
  const account = digits(11);
  const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
  const bban = `${bank}${branch}${account}${String(key).padStart(2, '0')}`;
  return `FR${String(98 - mod97(`${bban}FR00`)).padStart(2, '0')}${bban}`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function outletBody(overrides: Record<string, unknown> = {}) {
  return {
    legalName: 'EARL des Garrigues',
    name: `Ferme des Garrigues ${randomInt(1e6)}`,
    siret: siret(),
    kind: 'producer',
    commune: '34142',
    communeName: 'Lodève',
    iban: iban(),
    ...overrides,
  };
}

export const decision = (n = 1) => ({ decisionRef: `CC-2026-11 point ${n}`, decisionMinutes: 'Consentement, 23 présents, aucune objection.' });

export const shopPlace = (overrides: Record<string, unknown> = {}) => ({
  kind: 'shop',
  label: 'Boutique à la ferme',
  commune: '34142',
  hours: [
    { weekday: 2, opens: '09:00', closes: '12:00' },
    { weekday: 5, opens: '15:00', closes: '19:00' },
  ],
  ...overrides,
});

/** A date n days from today in France (the caisses' calendar; a UTC date is yesterday there after midnight). */
export const inDays = (n: number) => todayInFrance(new Date(Date.now() + n * 86_400_000));

export async function createOutlet(t: TestApp, caisseId: string, token: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; code: string; accountCode: string; name: string }> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/outlets`).set(bearer(token)).send(outletBody(overrides));
  if (res.status !== 201) throw new Error(`outlet creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function transition(t: TestApp, caisseId: string, outletId: string, token: string, body: Record<string, unknown>) {
  return t.http.post(`/api/v1/caisses/${caisseId}/outlets/${outletId}/transitions`).set(bearer(token)).send({ reason: 'Décision du comité', ...body });
}

/** A registered outlet with a shop, taken through the dossier to conventionné (review in a year). */
export async function conventionnedOutlet(t: TestApp, caisseId: string, token: string, overrides: Record<string, unknown> = {}) {
  const outlet = await createOutlet(t, caisseId, token, overrides);
  const place = await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${outlet.id}/places`).set(bearer(token)).send(shopPlace());
  if (place.status !== 201) throw new Error(`place failed: ${place.status} ${JSON.stringify(place.body)}`);
  for (const body of [{ to: 'dossier-complete' }, { to: 'conventionne', ...decision(), reviewOn: inDays(365) }]) {
    const res = await transition(t, caisseId, outlet.id, token, body);
    if (res.status !== 201) throw new Error(`transition failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return outlet;
}
