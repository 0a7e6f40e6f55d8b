import type { DemoContext, SeededMember, SeededOutlet } from './demo-context.js';
import { CONCURRENCY } from './demo-context.js';
import { pool } from './demo-http.js';
import { monthlyAllocation } from './demo-plan.js';
import { euros } from './demo-random.js';

interface Sale {
  member: SeededMember;
  outlet: SeededOutlet;
  cents: number;
  key: string;
}

/** The body a till sends: card and PIN, and category lines where the outlet's coverage differs by category. */
function body(s: Sale): Record<string, unknown> {
  const pay = { card: s.member.cardNumber, pin: s.member.pin, allowPartial: true };
  if (!s.outlet.byCategory) return { ...pay, amount: euros(s.cents) };
  const fresh = Math.round(s.cents * 0.6);
  return { ...pay, lines: [{ category: 'fruits-legumes', amount: euros(fresh) }, { category: 'epicerie', amount: euros(s.cents - fresh) }] };
}

/** The largest single purchase the demo makes (the caisse's default limit is 500.00). */
const LARGEST = 40_000;

/**
 * A month's shopping at the conventionnés outlets, right after that month's allocation run. The API dates every
 * purchase today (its ledger entry and its capture time): an outlet's conventionnement and coverage cannot start in
 * the past, so a purchase cannot be back-dated; shopping month by month still gives the wallets, the expiries of the
 * next runs and what is owed to the outlets the shape of a year of use. Each month about one member in two shops,
 * mostly in their own commune, spending most of what came in since the last time in one basket (split above 400.00);
 * whoever skips more than three months loses what the cap expires. A member's first, prorated month is
 * counted out, and `allowPartial` lets the till take what the wallet covers should an estimate be above it. Tills post
 * one purchase at a time, lockers send theirs as an offline batch; in the current month one sale is partly refunded.
 * Returns the number of purchases accepted.
 */
export async function shopMonth(ctx: DemoContext, members: SeededMember[], outlets: SeededOutlet[], p: number): Promise<number> {
  const period = ctx.periods[p];
  const current = p === ctx.periods.length - 1;
  const open = outlets.filter((o) => o.conventionne);
  const year = Number(period.slice(0, 4));
  const sales: Sale[] = [];
  for (const member of members.filter((m) => m.active && m.cardNumber && m.fromPeriod !== null && (m.fromPeriod === 0 || m.fromPeriod < p))) {
    const monthly = monthlyAllocation(member, year);
    member.unspentCents = Math.min(3 * monthly, member.unspentCents + monthly);
    if (!ctx.rng.chance(0.5)) continue;
    let budget = Math.floor((member.unspentCents * ctx.rng.int(75, 98)) / 100);
    member.unspentCents = 0;
    const near = open.filter((o) => o.commune === member.commune);
    while (budget >= 500) {
      const outlet = near.length && ctx.rng.chance(0.7) ? ctx.rng.pick(near) : ctx.rng.pick(open);
      const cents = Math.min(budget, LARGEST);
      budget -= cents;
      sales.push({ member, outlet, cents, key: `demo-p-${period}-${sales.length + 1}` });
    }
  }
  const atTill = sales.filter((s) => s.outlet.kind !== 'locker');
  const ids = await pool(atTill, CONCURRENCY, async (s) => {
    const p = await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/purchases`, { apiKey: s.outlet.apiKey, idempotencyKey: s.key, body: body(s) });
    return p.id;
  });
  let accepted = ids.length;
  for (const locker of open.filter((o) => o.kind === 'locker')) {
    const mine = sales.filter((s) => s.outlet === locker);
    if (!mine.length) continue;
    const capturedAt = new Date().toISOString();
    const res = await ctx.http.must<{ accepted: number; results: { status: string; problem?: unknown }[] }>(200, 'POST', `${ctx.base}/purchases/batch`, {
      apiKey: locker.apiKey,
      body: { purchases: mine.map((s) => ({ ...body(s), idempotencyKey: s.key, capturedAt })) },
    });
    if (res.accepted !== mine.length) throw new Error(`locker batch: ${res.accepted} of ${mine.length} accepted: ${JSON.stringify(res.results.find((r) => r.status !== 'accepted'))}`);
    accepted += res.accepted;
  }
  const first = atTill.findIndex((s) => s.cents >= 1_000);
  if (current && first >= 0) {
    await ctx.http.must(201, 'POST', `${ctx.base}/purchases/${ids[first]}/refunds`, { apiKey: atTill[first].outlet.apiKey, idempotencyKey: 'demo-refund-1', body: { amount: '2.50', reason: 'Produit abîmé, remboursé en caisse' } });
  }
  return accepted;
}
