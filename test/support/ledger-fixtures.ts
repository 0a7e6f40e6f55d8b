import { randomUUID } from 'node:crypto';
import { CaissesService } from '../../src/caisses/caisses.service.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { TestApp } from './test-app.js';

/** Creates member wallets (4671-…) the way the members module will: through the ledger facade. */
export async function wallets(t: TestApp, caisseId: string, count: number): Promise<string[]> {
  const ledger = t.app.get(LedgerService);
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const aux = `M${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    codes.push(await ledger.ensureAuxAccount({ caisseId, number: '4671', aux, label: `Adhérent ${aux}` }));
  }
  return codes;
}

export function entryBody(lines: { account: string; debit?: string; credit?: string }[], overrides: Record<string, unknown> = {}) {
  return { journal: 'OD', date: new Date().toISOString().slice(0, 10), label: 'Test entry', pieceRef: 'TEST-1', lines, ...overrides };
}

export const key = () => `k-${randomUUID()}`;

/** A caisse with open books and no users: cheap enough for property tests that need a fresh one per run. */
export async function bareCaisse(t: TestApp): Promise<string> {
  const slug = `b-${randomUUID().slice(0, 12)}`;
  const caisse = await t.app.get(CaissesService).create({ name: `Caisse ${slug}`, slug });
  return caisse.id;
}
