// npm run bench (allocations): a monthly allocation run through the app (enqueue, bull worker, wait for completed) for
// 100,000 and 1,000,000 members, against the raw set-based floor — the same journal entries and lines written by one
// INSERT…SELECT on a copy of the same database (same schema, same triggers), on the same server in the same run.
// Same rules as run.mjs: DATABASE_URL / REDIS_URL when set, else embedded servers under DATA_DIR; only databases
// named caisse_bench* are created or dropped. BENCH_ALLOC_MEMBERS=20000 for a quick try; the summary of `npm run bench`
// (all.mjs) reports the 100,000-member ratio against the target.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dist, log, recreate, runMain, serverUrl } from './bench-support.mjs';

const SIZES = (process.env.BENCH_ALLOC_MEMBERS ?? '100000,1000000').split(',').map(Number);
const PERIOD = '2026-11';
const AMOUNT = '100.00';
// Ports of their own, so this bench never meets another embedded server started from the same checkout.
process.env.EMBEDDED_PG_PORT ??= '54339';
process.env.EMBEDDED_REDIS_PORT ??= '63809';

async function withClient(url, work) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function startApp() {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import(dist('app.module.js'));
  return NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
}

/** A caisse with its books, a flat rule, n active members with their wallets (set-based SQL) and the money to pay them. */
async function setUp(url, n) {
  process.env.DATABASE_URL = url;
  const app = await startApp();
  const { CaissesService } = await import(dist('caisses/caisses.service.js'));
  const { LedgerService } = await import(dist('ledger/ledger.service.js'));
  const caisse = await app.get(CaissesService).create({ name: 'Caisse de banc d’essai', slug: `bench-alloc-${process.pid}` });
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO caisse_rule_versions (caisse_id, effective_from, allocation, contribution, rollover, gate)
       VALUES ($1, '2026-01-01', '{"formula":"flat","amount":"${AMOUNT}"}', '{"rule":"free","floor":"10.00"}', '{"mode":"rollover"}', '{"requireContribution":false}')`,
      [caisse.id],
    );
    await c.query(
      `INSERT INTO ledger_accounts (caisse_id, number, aux, label, normal_side, kind, no_overdraft)
       SELECT $1, '4671', 'M' || lpad(g::text, 8, '0'), 'Adhérent M' || lpad(g::text, 8, '0'), 'C', 'wallet', true FROM generate_series(1, $2) g`,
      [caisse.id, n],
    );
    await c.query(
      `INSERT INTO members (caisse_id, number, first_name, last_name, commune, status, joined_on, adults, children_birth_years, wallet_account)
       SELECT $1, g, 'Banc', 'Essai ' || g, '34172', 'active', '2026-01-01', 1 + g % 2, CASE WHEN g % 3 = 0 THEN '{2015}'::smallint[] ELSE '{}' END,
              '4671-M' || lpad(g::text, 8, '0')
         FROM generate_series(1, $2) g`,
      [caisse.id, n],
    );
    await c.query(`INSERT INTO member_status_history (caisse_id, member_id, status, effective_on) SELECT caisse_id, id, 'active', '2026-01-01' FROM members WHERE caisse_id = $1`, [caisse.id]);
    await c.query('ANALYZE');
  });
  // Funding for every allocation, in entries under the books' per-line limit (1,000,000.00 by default).
  for (let left = n * 100 + 1000; left > 0; left -= 1_000_000) {
    const money = `${Math.min(left, 1_000_000)}.00`;
    await app.get(LedgerService).post({ caisseId: caisse.id, journal: 'COT', date: '2026-01-02', label: 'Subvention', pieceRef: 'BENCH', idempotencyKey: randomUUID(), lines: [{ account: '512', debit: money }, { account: '7551', credit: money }] });
  }
  await app.close();
  return caisse.id;
}

/** The app's way: ask for the run, let the bull worker do it, wait until Postgres says completed. */
async function appRun(url, caisseId) {
  process.env.DATABASE_URL = url;
  const app = await startApp();
  const { AllocationsService } = await import(dist('allocations/allocations.service.js'));
  const { LedgerService } = await import(dist('ledger/ledger.service.js'));
  const runs = app.get(AllocationsService);
  const t0 = process.hrtime.bigint();
  const { id } = await runs.request(caisseId, { period: PERIOD });
  let run;
  let shown = 0;
  for (;;) {
    run = await runs.get(caisseId, id);
    if (['completed', 'failed', 'cancelled'].includes(run.status)) break;
    if (run.progress.done - shown >= 100_000) log(`  … ${(shown = run.progress.done)} / ${run.progress.total}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status !== 'completed') throw new Error(`run ${run.status}: ${JSON.stringify(run.errors)}`);
  log('  verifying the books…');
  const report = await app.get(LedgerService).verify(caisseId);
  await app.close();
  return { seconds, run, report };
}

/** The floor: every allocation entry and its two lines from one INSERT…SELECT, in one transaction, nothing else. */
async function floorRun(url, caisseId) {
  return withClient(url, async (c) => {
    const t0 = process.hrtime.bigint();
    await c.query('BEGIN');
    const res = await c.query(
      `WITH m AS (
         SELECT id, wallet_account, row_number() OVER (ORDER BY number) AS rn FROM members WHERE caisse_id = $1 AND status = 'active'
       ), n AS (
         UPDATE ledger_books SET last_entry_no = last_entry_no + (SELECT count(*) FROM m) WHERE caisse_id = $1 RETURNING last_entry_no - (SELECT count(*) FROM m) AS base
       ), y AS (
         -- The year's numbers reserved in one statement, as the ledger does (a per-row trigger would otherwise number them).
         INSERT INTO ledger_year_counters AS yc (caisse_id, fiscal_year, last_entry_no)
         SELECT $1, ledger_fiscal_year($2::date, b.fiscal_year_start_month), (SELECT count(*) FROM m) FROM ledger_books b WHERE b.caisse_id = $1
         ON CONFLICT (caisse_id, fiscal_year) DO UPDATE SET last_entry_no = yc.last_entry_no + EXCLUDED.last_entry_no
         RETURNING fiscal_year, last_entry_no - (SELECT count(*) FROM m) AS base
       ), e AS (
         INSERT INTO journal_entries (caisse_id, entry_no, fiscal_year, year_entry_no, journal, entry_date, label, piece_ref, idempotency_key, content_hash)
         SELECT $1, n.base + m.rn, y.fiscal_year, y.base + m.rn, 'ALL', $2::date, 'Allocation alimentaire ' || $3, 'ALL-' || $3, 'alloc:' || $3 || ':' || m.id,
                encode(sha256(convert_to(m.id::text, 'UTF8')), 'hex')
           FROM m, n, y
         RETURNING id, entry_no
       )
       INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit, fund)
       SELECT e.id, x.line_no, $1, x.account_id, x.debit, x.credit, x.fund
         FROM e JOIN n ON true JOIN m ON m.rn = e.entry_no - n.base
         JOIN ledger_accounts w ON w.caisse_id = $1 AND w.code = m.wallet_account
         CROSS JOIN LATERAL (VALUES (1, (SELECT id FROM ledger_accounts WHERE caisse_id = $1 AND code = '6571'), $4::numeric, 0::numeric, 'allocations'),
                                    (2, w.id, 0::numeric, $4::numeric, NULL)) AS x(line_no, account_id, debit, credit, fund)`,
      [caisseId, `${PERIOD}-01`, PERIOD, AMOUNT],
    );
    await c.query('COMMIT');
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, lines: res.rowCount };
  });
}

async function main() {
  const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
  const infra = await ensureInfrastructure(process.env, log);
  const baseUrl = process.env.DATABASE_URL;
  const adminUrl = serverUrl(baseUrl, 'postgres');
  process.env.QUEUE_PREFIX = `caisse_bench_alloc_${process.pid}`;
  process.env.ADMIN_PASSWORD ??= randomUUID();
  const rows = [];
  let ok = true;
  try {
    for (const n of SIZES) {
      const appDb = 'caisse_bench_alloc';
      const floorDb = 'caisse_bench_alloc_floor';
      await recreate(adminUrl, appDb);
      log(`${n} members: setting up…`);
      const caisseId = await setUp(serverUrl(baseUrl, appDb), n);
      // The floor gets a byte-for-byte copy of the same starting state.
      await withClient(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${floorDb}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${floorDb}" TEMPLATE "${appDb}"`);
      });
      log(`${n} members: allocation run through the app…`);
      const app = await appRun(serverUrl(baseUrl, appDb), caisseId);
      log(`${n} members: raw INSERT…SELECT floor…`);
      const floor = await floorRun(serverUrl(baseUrl, floorDb), caisseId);
      ok &&= app.report.ok && app.run.totals.members === n && floor.lines === 2 * n;
      rows.push({ n, app, floor, ratio: app.seconds / floor.seconds });
      await withClient(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${floorDb}" WITH (FORCE)`);
        await c.query(`DROP DATABASE IF EXISTS "${appDb}" WITH (FORCE)`);
      });
    }
  } finally {
    await infra.stop();
  }
  console.log('\nallocation run (app, bull worker, chunks of ' + (process.env.ALLOCATION_CHUNK_SIZE ?? 5000) + ') vs raw INSERT…SELECT floor, same server, same run\n');
  console.log('members      app run (s)   floor (s)   ratio (target ≤ 1.5)   verify');
  for (const r of rows) console.log(`${String(r.n).padStart(9)}   ${r.app.seconds.toFixed(1).padStart(11)}   ${r.floor.seconds.toFixed(1).padStart(9)}   ${r.ratio.toFixed(2).padStart(20)}   ok=${r.app.report.ok}, ${r.app.report.checkedEntries} entries`);
  console.log('');
  for (const r of rows) console.log(JSON.stringify({ name: `allocation-run-${r.n}`, metric: 'seconds', value: Number(r.app.seconds.toFixed(2)), reference: Number(r.floor.seconds.toFixed(2)), ratio: Number(r.ratio.toFixed(3)), verify: r.app.report.ok, members: r.n }));
  if (!ok) process.exitCode = 1;
}

runMain(main);
