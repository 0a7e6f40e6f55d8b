import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { allocationRules, fund, runPeriod } from '../support/allocation-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { assertTestDb, dbUrl, RUN_ID } from '../support/test-env.js';

/**
 * `npm run backup` / `npm run restore` as an operator runs them: a custom-format dump with its SHA-256, restored into a
 * new database where the service starts and the books verify, identical to the source.
 */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [`ops/${script}.mjs`, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('backups and restores (npm run backup / restore)', () => {
  let source: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let dir: string;
  const restoredName = `caisse_test_${RUN_ID}_x_restored_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    source = await freshDatabase();
    process.env.DATABASE_URL = source.url;
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.admin;
    await allocationRules(t, caisseId, token, '2026-01-01', { formula: 'flat', amount: '80.00' });
    await fund(t, caisseId, '1000.00');
    for (let i = 0; i < 3; i++) await createMember(t, caisseId, token, { joinedOn: '2026-01-01' });
    expect((await runPeriod(t, caisseId, token, '2026-02')).status).toBe('completed');
    dir = mkdtempSync(join(tmpdir(), 'caisse-backup-'));
  });
  afterAll(async () => {
    await t?.close();
    process.env.DATABASE_URL = saved;
    await source?.drop();
    assertTestDb(restoredName);
    const admin = new pg.Client({ connectionString: dbUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps with a SHA-256, refuses a damaged file, restores into a new database where the books verify', async () => {
    const file = join(dir, 'caisse.dump');
    const backup = run('backup', ['--out', file], { DATABASE_URL: source.url });
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const made = JSON.parse(backup.stdout.trim()) as { file: string; sha256: string };
    expect(made.file).toBe(file);
    expect(readFileSync(`${file}.sha256`, 'utf8')).toBe(`${made.sha256}  caisse.dump\n`);

    // A damaged copy (one byte changed, checksum file copied along) is refused before anything is created.
    const damaged = join(dir, 'damaged.dump');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.sha256`, `${made.sha256}  ${basename(damaged)}\n`);
    const refused = run('restore', [damaged, dbUrl(restoredName)]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/does not match/);
    // No checksum beside the file: refused unless the operator says so.
    copyFileSync(file, join(dir, 'alone.dump'));
    expect(run('restore', [join(dir, 'alone.dump'), dbUrl(restoredName)]).stderr).toMatch(/sha256 is missing/);

    const restored = run('restore', [file, dbUrl(restoredName)]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    // Never over a database that holds data.
    const again = run('restore', [file, dbUrl(restoredName)]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/restore into a new, empty database/);

    const before = (await t.http.get(`/api/v1/caisses/${caisseId}/ledger/trial-balance?at=2026-12-31`).set(bearer(token))).body;
    process.env.DATABASE_URL = dbUrl(restoredName);
    const r = await createTestApp();
    try {
      const verify = await r.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(bearer(token));
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(true);
      const after = (await r.http.get(`/api/v1/caisses/${caisseId}/ledger/trial-balance?at=2026-12-31`).set(bearer(token))).body;
      expect(after).toEqual(before);
    } finally {
      await r.close();
      process.env.DATABASE_URL = source.url;
    }
  });
});
