// `npm run backup`: a pg_dump of the caisse database in custom format, and beside it the file's SHA-256 in
// `sha256sum` format (`sha256sum -c caisse-….dump.sha256` checks it anywhere). The database is DATABASE_URL, or the
// embedded server of DATA_DIR while the service runs. Options: --out <file> (default BACKUP_DIR/caisse-<db>-<UTC time>.dump,
// BACKUP_DIR defaulting to ./backups). pg_dump must be on PATH, of the server's major version or newer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { databaseUrl, fail, sha256File, writeChecksum } from './ops-support.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const url = databaseUrl(process.env);
const db = decodeURIComponent(new URL(url).pathname.slice(1)) || 'caisse';
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] ?? fail('--out needs a file name') : resolve(process.env.BACKUP_DIR || './backups', `caisse-${db}-${stamp}.dump`));
mkdirSync(dirname(out), { recursive: true });

// Written under a temporary name and renamed when complete: a file with the final name is always a whole dump.
const partial = `${out}.partial`;
const dump = spawnSync('pg_dump', ['--format=custom', '--compress=6', '--file', partial, '--dbname', url], { stdio: ['ignore', 'inherit', 'inherit'] });
if (dump.error) fail(`pg_dump could not run (${dump.error.message}); install the PostgreSQL client tools`);
if (dump.status !== 0) fail(`pg_dump failed (exit ${dump.status})`);
renameSync(partial, out);
const digest = await sha256File(out);
writeChecksum(out, digest);
console.log(JSON.stringify({ file: out, sha256: digest, checksumFile: `${basename(out)}.sha256`, database: db }));
