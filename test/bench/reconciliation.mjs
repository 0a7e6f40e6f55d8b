// npm run bench (reconciliation): import + automatic matching of a camt.053 of BENCH_RECON_LINES (100,000) entries against
// as many open payouts on 512, through the app's service (the HTTP route takes files up to 20 MiB; this one is larger),
// next to the time psql's COPY takes to load the same rows into a plain table on the same server in the same run.
// Reports lines/s and the process' peak memory (RSS and heap). Same rules as run.mjs: DATABASE_URL / REDIS_URL when
// set, else embedded servers under DATA_DIR; only databases named caisse_bench* are created or dropped.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dist, log, recreate, runMain, serverUrl } from './bench-support.mjs';

const N = Number(process.env.BENCH_RECON_LINES ?? 100_000);
const IBAN = 'FR7630004000031234567890143';
const DAY = '2026-11-16';
process.env.EMBEDDED_PG_PORT ??= '54341';
process.env.EMBEDDED_REDIS_PORT ??= '63811';

const amountOf = (i) => `${1 + (i % 5000)}.${String(i % 100).padStart(2, '0')}`;
const e2e = (i) => `PAY-B-${String(i).padStart(8, '0')}`;

/** The statement a bank would send for N payouts, one entry each (built as text, read back by the streaming parser). */
function statementXml() {
  let total = 0n;
  const parts = [];
  for (let i = 0; i < N; i++) {
    const a = amountOf(i);
    total += BigInt(a.replace('.', ''));
    parts.push(
      `<Ntry><Amt Ccy="EUR">${a}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${DAY}</Dt></BookgDt><AcctSvcrRef>B${i}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>${e2e(i)}</EndToEndId></Refs><RltdPties><Cdtr><Nm>Point de vente ${i % 100}</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Paiement ${e2e(i)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`,
    );
  }
  const opening = total + 100_000_000n; // the payouts plus 1,000,000.00: the account stays in credit
  const closing = opening - total;
  const money = (c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  const bal = (code, c) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${money(c)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${DAY}</Dt></Dt></Bal>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>${DAY}T20:00:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id><ElctrncSeqNb>1</ElctrncSeqNb><Acct><Id><IBAN>${IBAN}</IBAN></Id></Acct>${bal('OPBD', opening)}${bal('CLBD', closing)}\n${parts.join('')}</Stmt></BkToCstmrStmt></Document>\n`,
  );
}

async function main() {
  const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
  const infra = await ensureInfrastructure(process.env, log);
  const adminUrl = serverUrl(process.env.DATABASE_URL, 'postgres');
  const url = serverUrl(process.env.DATABASE_URL, 'caisse_bench_recon');
  process.env.QUEUE_PREFIX = `caisse_bench_recon_${process.pid}`;
  process.env.ADMIN_PASSWORD ??= randomUUID();
  let result;
  try {
    await recreate(adminUrl, 'caisse_bench_recon');
    process.env.DATABASE_URL = url;
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import(dist('app.module.js'));
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
    const { CaissesService } = await import(dist('caisses/caisses.service.js'));
    const { LedgerService } = await import(dist('ledger/ledger.service.js'));
    const { ReconciliationService } = await import(dist('reconciliation/reconciliation.service.js'));
    const ledger = app.get(LedgerService);
    const caisse = await app.get(CaissesService).create({ name: 'Caisse de banc d’essai', slug: `bench-recon-${process.pid}` });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    // When the servers stop after a failure, this idle client must not hide the failure behind its own.
    db.on('error', () => {});
    await db.query(`UPDATE ledger_bank_accounts SET iban = $2 WHERE caisse_id = $1 AND account = '512'`, [caisse.id, IBAN]);
    log(`${N} open payouts: posting…`);
    const outlets = [];
    for (let o = 0; o < 100; o++) outlets.push(await ledger.ensureAuxAccount({ caisseId: caisse.id, number: '401', aux: `O${String(o).padStart(4, '0')}`, label: `Point de vente ${o}` }));
    for (let from = 0; from < N; from += 2000) {
      const batch = [];
      for (let i = from; i < Math.min(N, from + 2000); i++) {
        batch.push({ caisseId: caisse.id, journal: 'REG', date: DAY, label: `Paiement ${i}`, pieceRef: e2e(i), idempotencyKey: `payout:BENCH:${e2e(i)}`, lines: [{ account: outlets[i % 100], debit: amountOf(i) }, { account: '512', credit: amountOf(i) }] });
      }
      const res = await ledger.postBatch(caisse.id, batch);
      const bad = res.find((r) => !r.ok);
      if (bad) throw bad.error;
    }
    const file = statementXml();
    log(`statement: ${(file.length / 1e6).toFixed(1)} MB, ${N} entries; importing and matching…`);
    globalThis.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const meter = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const t0 = process.hrtime.bigint();
    const imported = await app.get(ReconciliationService).importStatement(caisse.id, file).catch((e) => {
      log(`import failed: ${e.stack ?? e}`);
      throw e;
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(meter);
    log(`imported: ${imported.statements[0].lines} lines, matched ${imported.matched}, unmatched ${imported.unmatched}`);

    // The floor: the same rows (as the import stores them) loaded by COPY into a plain table of the same columns.
    await db.query(`CREATE TABLE bench_copy_lines (LIKE bank_statement_lines)`);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM bank_statement_lines`);
    const dump = await new Promise((resolve, reject) => {
      const out = [];
      const p = spawn('psql', [url, '-q', '-c', '\\copy bank_statement_lines TO STDOUT'], { stdio: ['ignore', 'pipe', 'inherit'] });
      p.stdout.on('data', (b) => out.push(b));
      p.once('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`psql dump exit ${code}`))));
    });
    const c0 = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const p = spawn('psql', [url, '-q', '-c', '\\copy bench_copy_lines FROM pstdin'], { stdio: ['pipe', 'inherit', 'inherit'] });
      p.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql copy exit ${code}`))));
      p.stdin.end(dump);
    });
    const copySeconds = Number(process.hrtime.bigint() - c0) / 1e9;
    await db.end();
    await app.close();
    result = { n: rows[0].n, matched: imported.matched, seconds, copySeconds, peakRss, peakHeap, baseRss: base.rss, mb: file.length / 1e6 };
  } finally {
    await infra.stop();
  }
  const r = result;
  console.log(`\nreconciliation: import + auto-match of a ${r.mb.toFixed(1)} MB camt.053 (${N} entries) against ${N} open payouts\n`);
  console.log('lines      import+match (s)   lines/s   matched   COPY same rows (s)   ratio   peak RSS (MB)   peak heap (MB)');
  console.log(`${String(r.n).padStart(7)}   ${r.seconds.toFixed(1).padStart(16)}   ${Math.round(r.n / r.seconds).toString().padStart(7)}   ${String(r.matched).padStart(7)}   ${r.copySeconds.toFixed(2).padStart(18)}   ${(r.seconds / r.copySeconds).toFixed(1).padStart(5)}   ${(r.peakRss / 1e6).toFixed(0).padStart(13)}   ${(r.peakHeap / 1e6).toFixed(0).padStart(14)}`);
  console.log('');
  console.log(JSON.stringify({ name: 'reconciliation-import', metric: 'lines/s', value: Math.round(r.n / r.seconds), seconds: Number(r.seconds.toFixed(2)), reference: Number(r.copySeconds.toFixed(3)), ratio: Number((r.seconds / r.copySeconds).toFixed(1)), matched: r.matched, lines: r.n, peakRssMb: Math.round(r.peakRss / 1e6), peakHeapMb: Math.round(r.peakHeap / 1e6) }));
  if (r.matched !== N) process.exitCode = 1;
}

runMain(main);
