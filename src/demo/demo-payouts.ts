import type { DemoContext } from './demo-context.js';

export interface PayoutLine {
  endToEndId: string;
  payeeName: string;
  iban: string;
  amount: string;
}

export interface ExportedRun {
  id: string;
  total: string;
  lines: PayoutLine[];
}

/** The caisse's default bank account, given the IBAN a bank would have opened it with (needed by pain.001 and camt.053). */
export async function openBankAccount(ctx: DemoContext): Promise<{ account: string; iban: string }> {
  const accounts = await ctx.http.must<{ account: string; iban: string | null; isDefault: boolean }[]>(200, 'GET', `${ctx.base}/bank-accounts`, { token: ctx.tokens.treasurer });
  const bank = accounts.find((a) => a.isDefault) ?? accounts[0];
  if (bank.iban) return { account: bank.account, iban: bank.iban };
  const iban = ctx.rng.iban();
  await ctx.http.must(200, 'PATCH', `${ctx.base}/bank-accounts/${bank.account}`, { token: ctx.tokens.admin, body: { iban, bic: 'CCBPFRPP' } });
  return { account: bank.account, iban };
}

/**
 * What the outlets are owed up to today, paid as the four-eyes rule asks: the treasurer prepares the run, the admin
 * (a second person) approves it, confirming by name any line whose IBAN changed lately, and the treasurer exports the
 * pain.001 (the payouts are booked D 401 / C 512 today, their EndToEndIds being what the bank statement will carry).
 */
export async function payOutlets(ctx: DemoContext): Promise<ExportedRun> {
  const path = `${ctx.base}/settlement-runs`;
  const draft = await ctx.http.must<{ id: string; lines: { id: string; ibanFlagged: boolean }[] }>(202, 'POST', path, {
    token: ctx.tokens.treasurer,
    idempotencyKey: `demo-settlement-${ctx.today}`,
    body: { until: ctx.today },
  });
  const confirmIbanChanges = draft.lines.filter((l) => l.ibanFlagged).map((l) => l.id);
  await ctx.http.must(200, 'POST', `${path}/${draft.id}/approve`, { token: ctx.tokens.admin, body: confirmIbanChanges.length ? { confirmIbanChanges } : {} });
  const run = await ctx.http.must<{ id: string; status: string; total: string; lines: PayoutLine[] }>(200, 'POST', `${path}/${draft.id}/export`, { token: ctx.tokens.treasurer, body: {} });
  if (run.status !== 'exported') throw new Error(`settlement run ${run.id} is ${run.status} after its export`);
  return { id: run.id, total: run.total, lines: run.lines.map(({ endToEndId, payeeName, iban, amount }) => ({ endToEndId, payeeName, iban, amount })) };
}

/** The month before the current one closed, as a treasurer does once it is reconciled: its entries can no longer change. */
export async function closeLastMonth(ctx: DemoContext): Promise<string> {
  const period = ctx.periods[ctx.periods.length - 2];
  await ctx.http.must(201, 'POST', `${ctx.base}/closings`, { token: ctx.tokens.treasurer, body: { period } });
  return period;
}
