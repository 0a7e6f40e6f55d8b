// `npm run restore -- <file.dump> <target database URL>`: restores a backup made by `npm run backup` into a fresh
// database (created when missing; refused when it already holds tables, so a restore never mixes with live data).
// The dump's SHA-256 must match the .sha256 file beside it (--no-checksum to restore a dump without one).
// Afterwards start the service on the new database and check `GET /api/v1/caisses/{id}/ledger/verify`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { fail, readChecksum, sha256File } from './ops-support.mjs';

const args = process.argv.slice(2).filter((a) => a !== '--no-checksum');
const skipChecksum = process.argv.includes('--no-checksum');
const [file, target] = args;
if (!file || !target) fail('usage: npm run restore -- <file.dump> <postgres://…/new_database> [--no-checksum]');
if (!existsSync(file)) fail(`${file}: no such file`);

const expected = readChecksum(file);
if (!expected && !skipChecksum) fail(`${file}.sha256 is missing: the dump cannot be checked (--no-checksum to restore it anyway)`);
if (expected) {
  const actual = await sha256File(file);
  if (actual !== expected) fail(`${file}: SHA-256 ${actual} does not match ${expected} in ${file}.sha256; the file is damaged or not the one backed up`);
}

const targetUrl = new URL(target);
const name = decodeURIComponent(targetUrl.pathname.slice(1));
if (!name) fail('the target URL must name the database to restore into');
const adminUrl = new URL(target);
adminUrl.pathname = '/postgres';
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
try {
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
} finally {
  await admin.end();
}
const db = new pg.Client({ connectionString: target });
await db.connect();
try {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
  if (rows[0].n > 0) fail(`database "${name}" already holds ${rows[0].n} tables; restore into a new, empty database`);
} finally {
  await db.end();
}

// One transaction: a restore that fails half-way leaves the database empty, not half-filled. Owners and grants of
// the source are not replayed (the target's user owns everything), so a dump restores under another role too.
const restore = spawnSync('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-acl', '--dbname', target, file], { stdio: ['ignore', 'inherit', 'inherit'] });
if (restore.error) fail(`pg_restore could not run (${restore.error.message}); install the PostgreSQL client tools`);
if (restore.status !== 0) fail(`pg_restore failed (exit ${restore.status}); the database "${name}" was left empty`);
console.log(JSON.stringify({ restored: file, database: name, sha256: expected ?? null }));
