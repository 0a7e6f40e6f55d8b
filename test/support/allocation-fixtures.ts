import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from './member-fixtures.js';
import type { TestApp } from './test-app.js';

export const LYON = { formula: 'household', base: '150.00', perExtraAdult: '75.00', perChild: '45.00' };

/** A rule version of the caisse from `effectiveFrom` (free contribution from 10 €, no gate, plain rollover unless said). */
export async function allocationRules(
  t: TestApp,
  caisseId: string,
  token: string,
  effectiveFrom: string,
  allocation: Record<string, unknown>,
  opts: { rollover?: Record<string, unknown>; gate?: boolean } = {},
): Promise<void> {
  const res = await t.http
    .post(`/api/v1/caisses/${caisseId}/rule-versions`)
    .set(bearer(token))
    .send({ effectiveFrom, allocation, contribution: { rule: 'free', floor: '10.00' }, rollover: opts.rollover ?? { mode: 'rollover' }, gate: { requireContribution: opts.gate ?? false } });
  if (res.status !== 201) throw new Error(`rule version failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Unrestricted money in the bank (D 512 / C 7551), posted through the ledger facade as a contribution would be. */
export async function fund(t: TestApp, caisseId: string, amount: string, date = '2026-01-02'): Promise<void> {
  const r = await t.app.get(LedgerService).post({
    caisseId,
    journal: 'COT',
    date,
    label: 'Subvention fondation',
    pieceRef: `F-${randomUUID().slice(0, 8)}`,
    idempotencyKey: `fund-${randomUUID()}`,
    lines: [{ account: '512', debit: amount }, { account: '7551', credit: amount }],
  });
  if (!r.entry) throw new Error('funding failed');
}

export const runsUrl = (caisseId: string, suffix = '') => `/api/v1/caisses/${caisseId}/allocation-runs${suffix}`;

export async function requestRun(t: TestApp, caisseId: string, token: string, body: Record<string, unknown>) {
  return t.http.post(runsUrl(caisseId)).set(bearer(token)).send(body);
}

/** Polls the run until it reaches one of the statuses (the worker runs in the same process). */
export async function waitForRun(t: TestApp, caisseId: string, token: string, runId: string, statuses = ['completed', 'failed', 'cancelled'], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(runsUrl(caisseId, `/${runId}`)).set(bearer(token));
    if (res.status !== 200) throw new Error(`run read failed: ${res.status} ${JSON.stringify(res.body)}`);
    if (statuses.includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the period and waits for it to finish. */
export async function runPeriod(t: TestApp, caisseId: string, token: string, period: string, extra: Record<string, unknown> = {}) {
  const res = await requestRun(t, caisseId, token, { period, ...extra });
  if (res.status !== 202) throw new Error(`run request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForRun(t, caisseId, token, res.body.id);
}

export async function allLines(t: TestApp, caisseId: string, token: string, runId: string) {
  const res = await t.http.get(runsUrl(caisseId, `/${runId}/lines?limit=200`)).set(bearer(token));
  if (res.status !== 200) throw new Error(`lines failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items as { memberId: string; status: string; amount: string; gross: string; expired: string; activeDays: number; entryId: string | null; expireEntryId: string | null }[];
}

/** What a wallet can spend (credits − debits), from the books. */
export async function walletBalance(t: TestApp, caisseId: string, account: string): Promise<string> {
  const [row] = await t.sql<{ b: string }>(`SELECT (credits_posted - debits_posted)::text AS b FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [caisseId, account]);
  return row.b;
}

/** Journal entries of the period a member's wallet got, by idempotency key prefix ('alloc' or 'expire'). */
export async function memberEntries(t: TestApp, caisseId: string, prefix: 'alloc' | 'expire', period: string) {
  return t.sql<{ key: string; n: number }>(
    `SELECT idempotency_key AS key, count(*)::int AS n FROM journal_entries WHERE caisse_id = $1 AND idempotency_key LIKE $2 GROUP BY idempotency_key`,
    [caisseId, `${prefix}:${period}:%`],
  );
}
