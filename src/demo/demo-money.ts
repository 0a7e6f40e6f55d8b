import type { DemoContext, SeededMember } from './demo-context.js';
import { CONCURRENCY } from './demo-context.js';
import { pool } from './demo-http.js';
import { dayOf, gridAmount } from './demo-plan.js';
import { euros } from './demo-random.js';

interface FunderSpec {
  kind: string;
  funderType?: string;
  name: string;
  /** Whole euros at DEMO_SCALE 1. */
  amount: number;
  fund: string | null;
  reference: string;
  /** Months (index in the year) a tranche comes in, and its share in percent. */
  tranches: [number, number][];
}

/**
 * Who pays for the allocations, as the field reports say (domain/ssa-practice.md): the Department, the CAF and the
 * commune earmark theirs for allocations, a foundation gives unrestricted money, and an FSE+ grant pays coordination
 * only (fund `ingenierie`, never usable for allocations). A company gives once, as patronage. No grant has two
 * tranches of the same amount: the bank statement names a tranche by the grant's reference, which the matcher then
 * pairs by amount.
 */
const FUNDERS: FunderSpec[] = [
  { kind: 'public-funder', funderType: 'department', name: 'Département de Saône-et-Loire (fictif)', amount: 260_000, fund: 'allocations', reference: 'DEP71-SSA-DEMO', tranches: [[1, 50], [5, 30], [9, 20]] },
  { kind: 'public-funder', funderType: 'caf', name: 'CAF de Saône-et-Loire (fictive)', amount: 150_000, fund: 'allocations', reference: 'CAF71-DEMO', tranches: [[2, 60], [8, 40]] },
  { kind: 'public-funder', funderType: 'commune', name: "Ville d'Autun (fictive)", amount: 40_000, fund: 'allocations', reference: 'AUTUN-DEMO', tranches: [[0, 100]] },
  { kind: 'foundation', name: "Fondation pour l'alimentation durable (fictive)", amount: 100_000, fund: null, reference: 'FAD-DEMO', tranches: [[0, 60], [6, 40]] },
  { kind: 'public-funder', funderType: 'eu-fse-plus', name: 'FSE+ — coordination du projet (fictif)', amount: 60_000, fund: 'ingenierie', reference: 'FSEPLUS-DEMO', tranches: [[3, 40], [10, 60]] },
];

/** Contributors, their grants (posted as receivable) and the tranches already received by today. Returns grants made. */
export async function fundTheYear(ctx: DemoContext): Promise<number> {
  const token = ctx.tokens.treasurer;
  const lastYear = ctx.periods[ctx.periods.length - 1].slice(0, 4);
  for (const f of FUNDERS) {
    const contributor = await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/contributors`, { token, body: { kind: f.kind, funderType: f.funderType, name: f.name, iban: ctx.rng.iban() } });
    const total = Math.max(100, Math.round(f.amount * ctx.scale)) * 100;
    const grant = await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/grants`, {
      token,
      idempotencyKey: `demo-grant-${f.reference}`,
      body: { contributorId: contributor.id, amount: euros(total), from: `${ctx.periods[0]}-01`, to: `${lastYear}-12-31`, fund: f.fund, reference: f.reference, notifiedOn: dayOf(ctx.periods[0], 5) },
    });
    let given = 0;
    for (const [i, [month, share]] of f.tranches.entries()) {
      const receivedOn = dayOf(ctx.periods[Math.min(month, ctx.periods.length - 1)], 15);
      if (receivedOn > ctx.today) continue;
      const amount = i === f.tranches.length - 1 ? total - given : Math.round((total * share) / 100);
      given += amount;
      await ctx.http.must(201, 'POST', `${ctx.base}/grants/${grant.id}/tranches`, { token, idempotencyKey: `demo-tranche-${f.reference}-${i}`, body: { amount: euros(amount), receivedOn } });
    }
  }
  const company = await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/contributors`, { token, body: { kind: 'company', name: 'Coopérative laitière du Morvan (mécénat fictif)', iban: ctx.rng.iban() } });
  await ctx.http.must(201, 'POST', `${ctx.base}/contributions`, {
    token,
    idempotencyKey: 'demo-patronage-1',
    body: { contributorId: company.id, amount: euros(Math.max(100, Math.round(5_000 * ctx.scale)) * 100), method: 'transfer', receivedOn: dayOf(ctx.periods[5], 20) },
  });
  return FUNDERS.length;
}

/**
 * One month of member contributions: the grid amount for the household's declared income, paid by transfer or card
 * early in the month; about one member in twelve skips a month, a few round up (the excess is a gift).
 */
export async function contributeMonth(ctx: DemoContext, members: SeededMember[], p: number, byDirectDebit: ReadonlySet<SeededMember> = new Set()): Promise<number> {
  const period = ctx.periods[p];
  const payers = members.filter((m) => m.fromPeriod !== null && m.fromPeriod <= p && !ctx.rng.chance(0.08) && !byDirectDebit.has(m));
  const lastDay = period === ctx.today.slice(0, 7) ? Number(ctx.today.slice(8)) : 10;
  const payments = payers.map((m) => {
    const due = gridAmount(m.incomeCents);
    return { m, amount: ctx.rng.chance(0.05) ? due + 1_000 : due, method: ctx.rng.chance(0.3) ? 'card' : 'transfer', day: ctx.rng.int(1, Math.min(10, lastDay)) };
  });
  await pool(payments, CONCURRENCY, ({ m, amount, method, day }) =>
    ctx.http.must(201, 'POST', `${ctx.base}/contributions`, {
      token: ctx.tokens.treasurer,
      idempotencyKey: `demo-c-${period}-${m.id}`,
      body: { memberId: m.id, period, amount: euros(amount), method, receivedOn: dayOf(period, day) },
    }),
  );
  return payments.length;
}

/** The month's allocation run, followed until it completes (the run itself is queued and resumable). */
export async function runAllocation(ctx: DemoContext, p: number): Promise<void> {
  const period = ctx.periods[p];
  const run = await ctx.http.must<{ id: string }>(202, 'POST', `${ctx.base}/allocation-runs`, { token: ctx.tokens.treasurer, idempotencyKey: `demo-run-${period}`, body: { period } });
  for (const deadline = Date.now() + 120_000; ; ) {
    const state = await ctx.http.must<{ status: string; errors: unknown }>(200, 'GET', `${ctx.base}/allocation-runs/${run.id}`, { token: ctx.tokens.treasurer });
    if (state.status === 'completed') return;
    if (state.status === 'failed' || state.status === 'cancelled') throw new Error(`allocation run ${period} ${state.status}: ${JSON.stringify(state.errors)}`);
    if (Date.now() > deadline) throw new Error(`allocation run ${period} still ${state.status} after 2 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
