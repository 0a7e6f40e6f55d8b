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
  const pay = { card: s.member.cardNumber, pin: s.member.pin };
  if (!s.outlet.byCategory) return { ...pay, amount: euros(s.cents) };
  const fresh = Math.round(s.cents * 0.6);
  return { ...pay, lines: [{ category: 'fruits-legumes', amount: euros(fresh) }, { category: 'epicerie', amount: euros(s.cents - fresh) }] };
}

/**
 * Today's shopping at the conventionnés outlets (their conventionnement, like their coverage, starts today: the API
 * accepts neither in the past, so purchases cannot be back-dated). About two members in three buy once to three
 * times, mostly in their own commune, spending at most 80 % of a month's allocation. Tills post one purchase at a time;
 * lockers send theirs as an offline batch. One sale is partly refunded. Returns the number of purchases accepted.
 */
export async function shopToday(ctx: DemoContext, members: SeededMember[], outlets: SeededOutlet[]): Promise<number> {
  const open = outlets.filter((o) => o.conventionne);
  const year = Number(ctx.today.slice(0, 4));
  const sales: Sale[] = [];
  for (const member of members.filter((m) => m.active && m.cardNumber)) {
    if (!ctx.rng.chance(0.65)) continue;
    let budget = Math.floor(monthlyAllocation(member, year) * 0.8);
    const near = open.filter((o) => o.commune === member.commune);
    for (let n = ctx.rng.int(1, 3); n > 0; n--) {
      const outlet = near.length && ctx.rng.chance(0.7) ? ctx.rng.pick(near) : ctx.rng.pick(open);
      const cents = Math.min(budget, ctx.rng.int(outlet.basket[0], outlet.basket[1]));
      if (cents < 100) break;
      budget -= cents;
      sales.push({ member, outlet, cents, key: `demo-p-${sales.length + 1}` });
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
  if (first >= 0) {
    await ctx.http.must(201, 'POST', `${ctx.base}/purchases/${ids[first]}/refunds`, { apiKey: atTill[first].outlet.apiKey, idempotencyKey: 'demo-refund-1', body: { amount: '2.50', reason: 'Produit abîmé, remboursé en caisse' } });
  }
  return accepted;
}
