// npm run bench: ledger posting throughput against PostgreSQL's own pgbench (tpcb-like) on the same server, same run.
// Uses the app's rules: DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL and redis-server under DATA_DIR.
// Only databases named caisse_bench* are created or dropped.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { dist, log, median, pgbench, recreate, runMain, serverUrl } from './bench-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function ledgerBench(ledger, caisseId, pick, writer) {
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  let refused = 0;
  const latencies = [];
  const worker = async (i) => {
    while (Date.now() < deadline) {
      const started = process.hrtime.bigint();
      try {
        const input = { caisseId, journal: 'ACH', date: new Date().toISOString().slice(0, 10), label: 'Achat', pieceRef: 'BENCH', idempotencyKey: randomUUID(), lines: pick(i) };
        if (writer) {
          const r = await writer.submit(caisseId, input);
          if (!r.ok) throw r.error;
        } else {
          await ledger.post(input);
        }
        done++;
      } catch (e) {
        refused++;
        if (refused < 3) log(`refused: ${e.message}`);
      }
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => worker(i)));
  const elapsed = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { tps: done / elapsed, p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)], refused };
}

async function main() {
  const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
  const infra = await ensureInfrastructure(process.env, log);
  const baseUrl = process.env.DATABASE_URL;
  const adminUrl = serverUrl(baseUrl, 'postgres');
  try {
    await recreate(adminUrl, 'caisse_bench');
    await recreate(adminUrl, 'caisse_bench_pgbench');
    const pgbenchRound = pgbench(serverUrl(baseUrl, 'caisse_bench_pgbench'), SCALE, SECONDS);

    process.env.DATABASE_URL = serverUrl(baseUrl, 'caisse_bench');
    process.env.DATABASE_POOL_SIZE = String(CLIENTS);
    process.env.QUEUE_PREFIX = `caisse_bench_${process.pid}`;
    process.env.ADMIN_PASSWORD ??= randomUUID();
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import(dist('app.module.js'));
    const { CaissesService } = await import(dist('caisses/caisses.service.js'));
    const { LedgerService } = await import(dist('ledger/ledger.service.js'));
    const { BatchingWriter } = await import(dist('database/batching-writer.js'));
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    const ledger = app.get(LedgerService);
    const caisse = await app.get(CaissesService).create({ name: 'Caisse de banc d’essai', slug: `bench-${process.pid}` });
    const aux = async (number, prefix, i) => ledger.ensureAuxAccount({ caisseId: caisse.id, number, aux: `${prefix}${String(i).padStart(6, '0')}`, label: `${prefix}${i}` });
    const wallets = [];
    const outlets = [];
    for (let i = 0; i < CLIENTS; i++) {
      wallets.push(await aux('4671', 'M', i));
      outlets.push(await aux('401', 'O', i));
      // Enough for every purchase of the run: the bench measures postings, not refusals.
      await ledger.post({ caisseId: caisse.id, journal: 'ALL', date: new Date().toISOString().slice(0, 10), label: 'Dotation', pieceRef: 'BENCH', idempotencyKey: randomUUID(), lines: [{ account: '6571', debit: '9999999.00' }, { account: wallets[i], credit: '9999999.00' }] });
    }
    const distinct = (i) => [{ account: wallets[i], debit: '1.00' }, { account: outlets[i], credit: '1.00' }];
    const hot = (i) => [{ account: wallets[0], debit: '0.01' }, { account: outlets[i], credit: '0.01' }];

    // The same postings through the batching writer: concurrent callers share one transaction and one commit.
    const writer = new BatchingWriter((caisseId, inputs) => ledger.postBatch(caisseId, inputs), { maxItems: 256 });
    const rounds = { pgbench: [], distinct: [], hot: [], batched: [] };
    // The books must verify after every phase, not only at the end: a phase that broke them is named.
    const verifies = [];
    const phase = async (name, work) => {
      const result = await work();
      const report = await ledger.verify(caisse.id);
      verifies.push({ name, ok: report.ok, entries: report.checkedEntries });
      if (!report.ok) log(`ledger verify after ${name}: NOT ok ${JSON.stringify(report.problems.slice(0, 3))}`);
      return result;
    };
    for (let r = 1; r <= ROUNDS; r++) {
      log(`round ${r}/${ROUNDS}: pgbench…`);
      rounds.pgbench.push(pgbenchRound(CLIENTS).tps);
      log(`round ${r}/${ROUNDS}: ledger, distinct wallets…`);
      rounds.distinct.push(await phase(`round ${r} distinct`, () => ledgerBench(ledger, caisse.id, distinct)));
      log(`round ${r}/${ROUNDS}: ledger, one hot wallet…`);
      rounds.hot.push(await phase(`round ${r} hot`, () => ledgerBench(ledger, caisse.id, hot)));
      log(`round ${r}/${ROUNDS}: ledger, distinct wallets through the batching writer…`);
      rounds.batched.push(await phase(`round ${r} batched`, () => ledgerBench(ledger, caisse.id, distinct, writer)));
    }
    const report = { ok: verifies.every((v) => v.ok), checkedEntries: verifies.at(-1)?.entries ?? 0 };
    await app.close();

    const reference = median(rounds.pgbench);
    const rows = [
      { name: 'pgbench-tpcb-like', metric: 'tps', value: reference, reference, ratio: 1, note: `-s ${SCALE} -M prepared -c ${CLIENTS}` },
      ...['distinct', 'hot', 'batched'].map((k) => {
        const tps = median(rounds[k].map((x) => x.tps));
        return {
          name: { distinct: 'ledger-post-distinct-wallets', hot: 'ledger-post-hot-wallet', batched: 'ledger-postBatch-writer-distinct' }[k],
          metric: 'tps',
          value: tps,
          reference,
          ratio: tps / reference,
          note: `2-line entries, ${CLIENTS} callers, p50 ${median(rounds[k].map((x) => x.p50)).toFixed(1)} ms, p99 ${median(rounds[k].map((x) => x.p99)).toFixed(1)} ms`,
        };
      }),
    ];
    console.log(`\nmedian of ${ROUNDS} rounds of ${SECONDS}s; ledger verify after each of the ${verifies.length} phases: ok=${report.ok}${report.ok ? '' : ` (failed after ${verifies.filter((v) => !v.ok).map((v) => v.name).join(', ')})`}, ${report.checkedEntries} entries at the end\n`);
    console.log('benchmark                        tps        vs pgbench  notes');
    for (const r of rows) console.log(`${r.name.padEnd(32)} ${r.value.toFixed(0).padStart(8)}   ${r.ratio.toFixed(3).padStart(8)}    ${r.note}`);
    console.log('');
    for (const r of rows) console.log(JSON.stringify({ name: r.name, metric: r.metric, value: Number(r.value.toFixed(1)), reference: Number(r.reference.toFixed(1)), ratio: Number(r.ratio.toFixed(4)), ...(r.name.startsWith('ledger') ? { verify: report.ok } : {}) }));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await infra.stop();
  }
}

runMain(main);
