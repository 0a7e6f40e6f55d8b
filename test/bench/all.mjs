// npm run bench: every benchmark in one run, then one summary of the targets. Each part is its own process (its own
// embedded servers, as when run alone); their tables pass through, and their JSON lines are read for the summary.
// BENCH_PARTS picks parts (default ledger,purchases,allocations,startup,reconciliation,fec). Knobs of the parts: see README (Tests).
import { spawn } from 'node:child_process';

const PARTS = {
  ledger: 'run.mjs',
  purchases: 'purchases.mjs',
  allocations: 'allocations.mjs',
  startup: 'startup.mjs',
  reconciliation: 'reconciliation.mjs',
  fec: 'fec.mjs',
  operating: 'operating.mjs',
};
// `operating` (replica vs primary reads; purchases with 1, 2 and 3 API processes) runs only when asked: BENCH_PARTS=operating.
const DEFAULT_PARTS = ['ledger', 'purchases', 'allocations', 'startup', 'reconciliation', 'fec'];
const chosen = (process.env.BENCH_PARTS ?? DEFAULT_PARTS.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
const ALLOC_MEMBERS = 100_000;

function runPart(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-warnings', new URL(`./${file}`, import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results = [];
    let pending = '';
    child.stdout.on('data', (b) => {
      process.stdout.write(b);
      pending += b;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          results.push(JSON.parse(line));
        } catch {
          // a table line that happens to start with a brace
        }
      }
    });
    child.once('close', (code) => resolve({ code, results }));
  });
}

const fmt = (x, d = 2) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));

async function main() {
  const unknown = chosen.filter((p) => !PARTS[p]);
  if (unknown.length) throw new Error(`BENCH_PARTS: unknown ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
  const all = [];
  const failedParts = [];
  for (const part of chosen) {
    process.stderr.write(`\n=== ${part} (${PARTS[part]}) ===\n`);
    const { code, results } = await runPart(PARTS[part]);
    if (code !== 0) failedParts.push(`${part} (exit ${code})`);
    all.push(...results.map((r) => ({ ...r, part })));
  }

  // One row per target: what was asked, what was measured, met or not, and by how much when not.
  const rows = [];
  const purchases = all.filter((r) => r.name?.startsWith('purchases-http-'));
  for (const r of purchases) {
    const ratioOk = r.ratio >= 2;
    const p99Ok = r.p99 <= 50;
    const misses = [];
    if (!ratioOk) misses.push(`×${fmt(r.ratio)} is ${fmt(2 / r.ratio, 1)}× short of ×2.0`);
    if (!p99Ok) misses.push(`p99 ${fmt(r.p99, 1)} ms is ${fmt(r.p99 - 50, 1)} ms over`);
    rows.push({
      target: `${r.name.replace('purchases-http-', 'purchases ')}: ≥ 2.0 × best pgbench, p99 ≤ 50 ms`,
      measured: `${fmt(r.value, 0)}/s = ×${fmt(r.ratio)} of ${fmt(r.reference, 0)} tps, p99 ${fmt(r.p99, 1)} ms`,
      met: ratioOk && p99Ok,
      by: misses.join('; '),
    });
  }
  const allocs = all.filter((r) => r.name?.startsWith('allocation-run-'));
  const alloc = allocs.find((r) => r.members === ALLOC_MEMBERS) ?? allocs[0];
  if (alloc) {
    const at = alloc.members === ALLOC_MEMBERS ? '100k members' : `${alloc.members} members (not 100,000: BENCH_ALLOC_MEMBERS)`;
    rows.push({
      target: `allocation run at ${at}: app/floor ≤ 1.5`,
      measured: `${fmt(alloc.value, 1)} s / ${fmt(alloc.reference, 1)} s = ${fmt(alloc.ratio)}`,
      met: alloc.ratio <= 1.5 && alloc.members === ALLOC_MEMBERS,
      by: alloc.ratio <= 1.5 ? (alloc.members === ALLOC_MEMBERS ? '' : 'not measured at 100,000') : `${fmt((alloc.ratio / 1.5 - 1) * 100, 0)}% over (${fmt(alloc.value - 1.5 * alloc.reference, 1)} s too slow)`,
    });
  }
  const start = all.find((r) => r.name === 'startup-npm-start');
  if (start) {
    const build = all.find((r) => r.name === 'startup-noop-build');
    rows.push({
      target: 'time to healthy, npm start with nothing changed: ≤ 5 s',
      measured: `${fmt(start.value)} s (median${build ? `; no-op build alone ${fmt(build.value)} s` : ''})`,
      met: start.value <= 5,
      by: start.value <= 5 ? '' : `${fmt(start.value - 5)} s over`,
    });
  }
  const recon = all.find((r) => r.name === 'reconciliation-import');
  if (recon) {
    rows.push({
      target: `reconciliation: import + auto-match of ${recon.lines} camt.053 lines (measured, next to COPY)`,
      measured: `${recon.value} lines/s (${fmt(recon.seconds, 1)} s vs COPY ${fmt(recon.reference)} s = ×${fmt(recon.ratio, 1)}), ${recon.matched} matched, peak RSS ${recon.peakRssMb} MB`,
      met: recon.matched === recon.lines,
      by: recon.matched === recon.lines ? '' : `${recon.lines - recon.matched} lines not matched`,
    });
  }
  const fec = all.find((r) => r.name === 'fec-export');
  if (fec) {
    // Flat: the peak stays within 64 MB of the server's RSS before the export, whatever the number of lines.
    const flat = fec.rssPeakMb - fec.rssBeforeMb <= 64;
    const at = fec.lines === 10_000_000 ? '10M lines' : `${fec.lines} lines (not 10,000,000: BENCH_FEC_LINES)`;
    rows.push({
      target: `FEC export of ${at}: ≥ 50 % of COPY's lines/s, RSS flat`,
      measured: `${fmt(fec.value, 0)} vs ${fmt(fec.reference, 0)} lines/s = ${fmt(fec.ratio * 100, 0)} %, RSS ${fec.rssBeforeMb} → peak ${fec.rssPeakMb} MB`,
      met: fec.ratio >= 0.5 && flat && fec.lines === 10_000_000,
      by: [fec.ratio >= 0.5 ? '' : `${fmt((0.5 - fec.ratio) * 100, 0)} points short`, flat ? '' : `RSS grew ${fec.rssPeakMb - fec.rssBeforeMb} MB`, fec.lines === 10_000_000 ? '' : 'not measured at 10M'].filter(Boolean).join('; '),
    });
  }
  // Measured, no target figure: purchases/s as API processes are added, beside pgbench of the same run.
  const scaling = all.filter((r) => r.name?.startsWith('operating-purchases-api')).sort((a, b) => a.apiProcesses - b.apiProcesses);
  if (scaling.length) {
    const ref = all.find((r) => r.name?.startsWith('operating-pgbench-tpcb-c'));
    const bad = scaling.filter((r) => !r.verify || r.failed);
    rows.push({
      target: `operating: purchases/s with ${scaling.map((r) => r.apiProcesses).join(', ')} API processes, ${scaling[0].terminals} terminals (measured, next to pgbench)`,
      measured: `${scaling.map((r) => `${r.apiProcesses}: ${fmt(r.value, 0)}/s p99 ${fmt(r.p99, 1)} ms`).join(', ')}; pgbench tpcb-like -c ${ref?.clients ?? '?'} ${fmt(ref?.value, 0)} tps`,
      met: bad.length === 0,
      by: bad.map((r) => `${r.apiProcesses} API: ${[r.verify ? '' : 'verify NOT ok', r.failed ? `${r.failed} refused` : ''].filter(Boolean).join(', ')}`).join('; '),
    });
  }
  const verified = all.filter((r) => typeof r.verify === 'boolean');
  if (verified.length) {
    const bad = verified.filter((r) => !r.verify);
    rows.push({
      target: 'ledger/verify ok after every phase',
      measured: `${verified.length - bad.length}/${verified.length} phases ok`,
      met: bad.length === 0,
      by: bad.map((r) => r.name).join(', '),
    });
  }

  console.log('\n=== summary: targets of the issue, same run ===\n');
  const w = Math.max(...rows.map((r) => r.target.length), 10);
  const m = Math.max(...rows.map((r) => r.measured.length), 10);
  console.log(`${'target'.padEnd(w)}  ${'measured'.padEnd(m)}  met   by how much`);
  for (const r of rows) console.log(`${r.target.padEnd(w)}  ${r.measured.padEnd(m)}  ${(r.met ? 'yes' : 'NO').padEnd(4)}  ${r.by}`);
  if (failedParts.length) console.log(`\nparts that failed: ${failedParts.join(', ')}`);
  console.log('');
  console.log(JSON.stringify({ name: 'summary', met: rows.filter((r) => r.met).length, of: rows.length, failedParts, rows }));
  if (failedParts.length) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
