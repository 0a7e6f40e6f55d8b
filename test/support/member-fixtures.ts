import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { TestApp } from './test-app.js';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A valid creation body; each test overrides what it is about. */
export function memberBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstName: 'Nadia',
    lastName: `Benali-${randomUUID().slice(0, 6)}`,
    commune: '34172',
    status: 'active',
    joinedOn: '2026-01-05',
    household: { adults: 2, childrenBirthYears: [2015, 2019] },
    ...overrides,
  };
}

export interface CreatedMember {
  id: string;
  number: string;
  cardNumber: string | null;
  walletAccount: string | null;
  pin: string | null;
  [key: string]: unknown;
}

export async function createMember(t: TestApp, caisseId: string, token: string, overrides: Record<string, unknown> = {}): Promise<CreatedMember> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/members`).set(bearer(token)).send(memberBody(overrides));
  if (res.status !== 201) throw new Error(`member creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CreatedMember;
}

/** Logs a member in with card and PIN; returns the member token. */
export async function memberLogin(t: TestApp, caisseId: string, cardNumber: string, pin: string): Promise<string> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/members/login`).send({ cardNumber, pin });
  if (res.status !== 200) throw new Error(`member login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** An outlet payable (401-…) labelled with the shop's trade name, as the outlets module creates it. */
export async function outletAccount(t: TestApp, caisseId: string, name: string): Promise<string> {
  const aux = `O${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
  return t.app.get(LedgerService).ensureAuxAccount({ caisseId, number: '401', aux, label: name });
}

/** Posts one balanced entry straight through the ledger facade (what allocations and purchases will do). */
export async function post(t: TestApp, caisseId: string, journal: 'ALL' | 'ACH' | 'OD', label: string, lines: { account: string; debit?: string; credit?: string }[]) {
  return t.app.get(LedgerService).post({
    caisseId,
    journal,
    date: new Date().toISOString().slice(0, 10),
    label,
    pieceRef: `T-${randomUUID().slice(0, 8)}`,
    idempotencyKey: `k-${randomUUID()}`,
    lines,
  });
}
