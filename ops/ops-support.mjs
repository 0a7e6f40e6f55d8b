// Shared by the operator scripts (backup, restore, dev:replica): where the database is, checksums, failing clearly.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export function fail(message) {
  console.error(message);
  process.exit(1);
}

/** DATABASE_URL, else the embedded server of DATA_DIR (see src/database/embedded/embedded-postgres.ts). */
export function databaseUrl(env) {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  return `postgres://postgres:caisse-embedded@127.0.0.1:${env.EMBEDDED_PG_PORT || 54329}/caisse`;
}

export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => hash.update(b))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export function writeChecksum(file, digest) {
  writeFileSync(`${file}.sha256`, `${digest}  ${basename(file)}\n`);
}

/** The digest recorded beside a dump, or undefined when there is none. */
export function readChecksum(file) {
  try {
    const m = /^([0-9a-f]{64})\s/.exec(readFileSync(`${file}.sha256`, 'utf8'));
    return m ? m[1] : fail(`${file}.sha256 is not a sha256sum line`);
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}
