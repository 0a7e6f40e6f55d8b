import type { DemoContext, SeededMember } from './demo-context.js';
import { CONCURRENCY } from './demo-context.js';
import { pool } from './demo-http.js';
import { ALLOCATION, GRID, membersCsv, type PlannedMember } from './demo-plan.js';
import { euros } from './demo-random.js';
import { CAISSE_SLUG, MAIL_DOMAIN } from './demo-territory.js';
import type { DemoPasswords } from './demo.types.js';

export const ROLES = ['admin', 'treasurer', 'committee', 'cashier', 'member'] as const;

/** Users are global to the install: another slug (a test's) gets its own sub-domain, so both can live side by side. */
export const demoEmail = (role: string, slug: string) => `${role}@${slug === CAISSE_SLUG ? '' : `${slug}.`}${MAIL_DOMAIN}`;

/** One user per role, each logged in; returns their tokens and ids. */
export async function createUsers(ctx: Pick<DemoContext, 'http' | 'base'>, platformToken: string, passwords: DemoPasswords, slug: string): Promise<{ tokens: DemoContext['tokens']; ids: Record<string, string> }> {
  const tokens = {} as DemoContext['tokens'];
  const ids: Record<string, string> = {};
  for (const role of ROLES) {
    ids[role] = (await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/users`, { token: platformToken, body: { email: demoEmail(role, slug), password: passwords[role], role } })).id;
    tokens[role] = (await ctx.http.must<{ accessToken: string }>(200, 'POST', '/api/v1/auth/login', { body: { email: demoEmail(role, slug), password: passwords[role] } })).accessToken;
  }
  return { tokens, ids };
}

/**
 * The caisse's rules from the first month of the year: allocation by household composition (as in Lyon), the
 * contribution grid by income with what is paid above the allocation booked as a gift, unspent money kept up to
 * three months, no contribution gate, and every amount reduced alike should the funds fall short.
 */
export async function createRules(ctx: DemoContext): Promise<void> {
  await ctx.http.must(201, 'POST', `${ctx.base}/rule-versions`, {
    token: ctx.tokens.admin,
    idempotencyKey: 'demo-rules-1',
    body: {
      effectiveFrom: `${ctx.periods[0]}-01`,
      allocation: { formula: 'household', base: euros(ALLOCATION.base), perExtraAdult: euros(ALLOCATION.perExtraAdult), perChild: euros(ALLOCATION.perChild), whenShort: 'reduce' },
      contribution: { rule: 'grid', excessAsGift: true, bands: GRID.map(([upTo, amount]) => (upTo === null ? { amount: euros(amount) } : { upTo: euros(upTo), amount: euros(amount) })) },
      rollover: { mode: 'cap', capMonths: 3 },
      gate: { requireContribution: false },
    },
  });
}

/** All members in one CSV import (all lines or none), then a PIN on each active member's card. */
export async function importMembers(ctx: DemoContext, planned: PlannedMember[]): Promise<SeededMember[]> {
  const report = await ctx.http.must<{ members: { line: number; id: string; cardNumber: string | null; status: string }[] }>(201, 'POST', `${ctx.base}/members/imports`, {
    token: ctx.tokens.admin,
    idempotencyKey: 'demo-members-1',
    text: membersCsv(planned),
    contentType: 'text/csv',
  });
  if (report.members.length !== planned.length) throw new Error(`imported ${report.members.length} members of ${planned.length}`);
  const members = report.members.map((m, i): SeededMember => ({ ...planned[i], id: m.id, cardNumber: m.cardNumber, active: m.status === 'active', unspentCents: 0 }));
  await pool(
    members.filter((m) => m.active),
    CONCURRENCY,
    (m) => ctx.http.must(200, 'POST', `${ctx.base}/members/${m.id}/card/pin`, { token: ctx.tokens.admin, body: { pin: m.pin } }),
  );
  return members;
}
