import type { DemoContext, SeededMember } from './demo-context.js';

/**
 * Members who pay by SEPA direct debit: chosen without drawing from the random stream (the rest of the demo stays the
 * same), about one in five of the households there from the start. Their contribution of the current month is left
 * to the month's direct-debit batch.
 */
export function directDebitPayers(members: SeededMember[]): SeededMember[] {
  const eligible = members.filter((m) => m.active && m.fromPeriod === 0);
  const chosen = eligible.filter((_, i) => i % 5 === 2);
  return chosen.length ? chosen : eligible.slice(0, 1);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The creditor settings, one signed mandate per payer and the current month's batch, built and handed to the bank
 * (status sent: the bank collects on the collection date, so the money is not on the statement yet). The collection
 * date is the first weekday the API accepts as a TARGET2 business day far enough ahead. Returns the batch's size.
 */
export async function collectByDirectDebit(ctx: DemoContext, payers: SeededMember[], creditorIban: string): Promise<{ id: string; transactions: number }> {
  const token = ctx.tokens.treasurer;
  await ctx.http.must(200, 'PUT', `${ctx.base}/direct-debit-settings`, { token, body: { creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune du Grand Autunois Morvan (fictive)', creditorIban } });
  for (const [i, m] of payers.entries()) {
    await ctx.http.must(201, 'POST', `${ctx.base}/mandates`, {
      token,
      body: { memberId: m.id, reference: `RUM-AUTUNOIS-${String(i + 1).padStart(4, '0')}`, signedOn: `${ctx.periods[0]}-0${1 + (i % 9)}`, debtorName: `${m.firstName} ${m.lastName}`, iban: ctx.rng.iban() },
    });
  }
  const period = ctx.periods[ctx.periods.length - 1];
  for (let n = 2; n <= 12; n++) {
    const collectionDate = addDays(ctx.today, n);
    const weekday = new Date(`${collectionDate}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const res = await ctx.http.request('POST', `${ctx.base}/direct-debit-batches`, { token, idempotencyKey: `demo-dd-${period}-${collectionDate}`, body: { period, collectionDate } });
    // A TARGET2 holiday (Christmas, Easter): the next weekday is tried.
    if (res.status === 400 && JSON.stringify(res.body).includes('collectionDate')) continue;
    if (res.status !== 201) throw new Error(`direct-debit batch: ${res.status} ${JSON.stringify(res.body)}`);
    const batch = res.body as { id: string; transactions: number };
    await ctx.http.must([200, 201], 'POST', `${ctx.base}/direct-debit-batches/${batch.id}/sent`, { token, body: {} });
    return batch;
  }
  throw new Error('no collection date within 12 days was accepted');
}
