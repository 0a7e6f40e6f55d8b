import { randomUUID } from 'node:crypto';
import { bearer } from './member-fixtures.js';
import type { TestApp } from './test-app.js';

/** Puts a rule version in force from 2026-01-01 (flat 100 € allocation unless the contribution rule says otherwise). */
export async function contributionRules(t: TestApp, caisseId: string, token: string, contribution: Record<string, unknown>, allocation: Record<string, unknown> = { formula: 'flat', amount: '100.00' }) {
  const res = await t.http
    .post(`/api/v1/caisses/${caisseId}/rule-versions`)
    .set(bearer(token))
    .send({ effectiveFrom: '2026-01-01', allocation, contribution, rollover: { mode: 'rollover' }, gate: { requireContribution: true } });
  if (res.status !== 201) throw new Error(`rule version failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function createContributor(t: TestApp, caisseId: string, token: string, body: Record<string, unknown>): Promise<{ id: string; number: string }> {
  const res = await t.http.post(`/api/v1/caisses/${caisseId}/contributors`).set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`contributor failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const idemKey = () => `k-${randomUUID()}`;

/** Lines of one journal entry as the ledger stores them, in line order. */
export async function entryLines(t: TestApp, entryId: string) {
  return t.sql<{ code: string; debit: string; credit: string; fund: string | null; grant_ref: string | null }>(
    `SELECT a.code, l.debit::text, l.credit::text, l.fund, l.grant_ref FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
      WHERE l.entry_id = $1 ORDER BY l.line_no`,
    [entryId],
  );
}
