import type { DemoContext } from './demo-context.js';
import { fillDossiers } from './demo-criteria.js';
import { collectByDirectDebit, directDebitPayers } from './demo-debits.js';
import { DemoHttp } from './demo-http.js';
import { holdDecisions, seatCommittee } from './demo-governance.js';
import { contributeMonth, fundTheYear, runAllocation } from './demo-money.js';
import { conventionByMinutes, createOutlets } from './demo-outlets.js';
import { periodsEndingAt, planMembers } from './demo-plan.js';
import { closeLastMonth, openBankAccount, payOutlets } from './demo-payouts.js';
import { shopMonth } from './demo-purchases.js';
import { DemoRandom } from './demo-random.js';
import { importStatement } from './demo-statement.js';
import { createRules, createUsers, demoEmail, importMembers, ROLES } from './demo-setup.js';
import { CAISSE_NAME, CAISSE_SLUG, COMMUNES, DEMO_SIREN } from './demo-territory.js';
import type { DemoOutcome, DemoPasswords } from './demo.types.js';

export interface SeedOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  platformAdmin: { email: string; password: string };
  passwords: DemoPasswords;
  /** 1: ~400 members and 40 outlets; 0.05 for tests. */
  scale?: number;
  seed?: number;
  /** The caisse's slug, the marker of a seeded demo (default demo-grand-autunois-morvan). */
  slug?: string;
  log?: (message: string) => void;
}

/** Today in the caisse's time zone (YYYY-MM-DD), the date the API itself uses for "today". */
export const todayInParis = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/**
 * Seeds the fictitious caisse through the public HTTP API, a year of activity ending today. Deterministic for a given
 * seed and day; a no-op when the demo caisse already exists (its slug is the marker).
 */
export async function seedDemo(options: SeedOptions): Promise<DemoOutcome> {
  const http = new DemoHttp(options.baseUrl);
  const log = options.log ?? (() => undefined);
  const scale = options.scale ?? 1;
  const slug = options.slug ?? CAISSE_SLUG;
  const platform = (await http.must<{ accessToken: string }>(200, 'POST', '/api/v1/auth/login', { body: options.platformAdmin })).accessToken;
  const existing = (await http.must<{ id: string; slug: string }[]>(200, 'GET', '/api/v1/caisses', { token: platform })).find((c) => c.slug === slug);
  if (existing) return { seeded: false, caisseId: existing.id };

  const started = Date.now();
  const step = (m: string) => log(`demo: ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const caisse = await http.must<{ id: string }>(201, 'POST', '/api/v1/caisses', { token: platform, idempotencyKey: `demo-caisse-${slug}`, body: { name: CAISSE_NAME, slug, siren: DEMO_SIREN, territory: COMMUNES.map((c) => c.code), unitLabel: '€' } });
  const base = `/api/v1/caisses/${caisse.id}`;
  const { tokens, ids } = await createUsers({ http, base }, platform, options.passwords, slug);
  const today = todayInParis();
  const ctx: DemoContext = { http, rng: new DemoRandom(options.seed ?? 71400), log, scale, today, periods: periodsEndingAt(today), caisseId: caisse.id, base, tokens };
  await createRules(ctx);

  const members = await importMembers(ctx, planMembers(ctx.rng, Math.max(16, Math.round(400 * scale)), ctx.periods));
  const demoMember = members[0];
  await http.must(200, 'PATCH', `${base}/members/${demoMember.id}`, { token: tokens.admin, body: { userId: ids.member } });
  step(`${members.length} members imported`);

  const outlets = await createOutlets(ctx, Math.max(8, Math.round(40 * scale)));
  const byVote = outlets.slice(0, scale >= 0.5 ? 3 : 1);
  const [pending] = outlets.slice(-2, -1);
  const seats = await seatCommittee(ctx, members.filter((m) => m.fromPeriod === 0 && m !== demoMember).slice(0, scale >= 0.5 ? 9 : 5));
  const decisions = await holdDecisions(ctx, seats, byVote, pending);
  await fillDossiers(ctx, pending ? [...byVote, pending] : byVote);
  await conventionByMinutes(ctx, outlets.slice(byVote.length, -2));
  const till = outlets.find((o) => o.kind === 'grocery')!;
  await http.must(201, 'POST', `${base}/outlets/${till.id}/staff`, { token: tokens.admin, body: { userId: ids.cashier } });
  step(`${outlets.length} outlets, ${decisions} committee decisions`);

  const grants = await fundTheYear(ctx);
  const debited = directDebitPayers(members);
  const last = ctx.periods.length - 1;
  let contributions = 0;
  let purchases = 0;
  for (const [p, period] of ctx.periods.entries()) {
    contributions += await contributeMonth(ctx, members, p, p === last ? new Set(debited) : undefined);
    await runAllocation(ctx, p);
    purchases += await shopMonth(ctx, members, outlets, p);
    step(`${period}: contributions, allocation run, purchases (${purchases} so far)`);
  }

  const bank = await openBankAccount(ctx);
  const run = await payOutlets(ctx);
  const statement = await importStatement(ctx, bank, run);
  step(`payouts to ${run.lines.length} outlets exported, bank statement of ${statement.lines} lines imported (${statement.matched} matched)`);
  const batch = await collectByDirectDebit(ctx, debited, bank.iban);
  const closedThrough = await closeLastMonth(ctx);
  step(`direct-debit batch of ${batch.transactions} mandates sent, books closed through ${closedThrough}`);

  return {
    seeded: true,
    caisseId: caisse.id,
    logins: {
      caisseId: caisse.id,
      caisseName: CAISSE_NAME,
      platformAdmin: options.platformAdmin,
      users: ROLES.map((role) => ({ role, email: demoEmail(role, slug), password: options.passwords[role] })),
      member: { name: `${demoMember.firstName} ${demoMember.lastName}`, cardNumber: demoMember.cardNumber!, pin: demoMember.pin, memberId: demoMember.id },
      terminal: { outlet: till.name, apiKey: till.apiKey },
    },
    summary: {
      members: members.length,
      activeMembers: members.filter((m) => m.active).length,
      outlets: outlets.length,
      conventionnes: outlets.filter((o) => o.conventionne).length,
      decisions,
      contributions: contributions + batch.transactions,
      grants,
      allocationRuns: ctx.periods.length,
      purchases,
      directDebits: batch.transactions,
      settlementRuns: 1,
      payouts: run.lines.length,
      statementLines: statement.lines,
      matchedLines: statement.matched,
      closedThrough,
    },
  };
}

