import './resolve-ts.cjs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { assertTestDb, dbUrl, KEY_PREFIX, RUN_ID, TEMPLATE_DB, TEST_ADMIN_DB_URL, TEST_REDIS_URL } from './test-env.js';

/**
 * Migrates a template database once, then clones one database per Jest worker from it (CREATE DATABASE … TEMPLATE
 * copies files, far faster than migrating again). Migrations run for real, so a broken migration fails the suite.
 */
export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
  process.env.CAISSE_TEST_ADMIN_URL = TEST_ADMIN_DB_URL;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_DB_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`Tests need PostgreSQL at ${TEST_ADMIN_DB_URL} (set TEST_DATABASE_URL): ${(e as Error).message}`);
  }
  try {
    await recreate(admin, TEMPLATE_DB);
    const ds = new DataSource(dataSourceOptions(dbUrl(TEMPLATE_DB), 2));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'all' });
    await ds.destroy();
    const workers = Math.max(config.maxWorkers, 1);
    for (let i = 1; i <= workers; i++) await recreate(admin, `caisse_test_${RUN_ID}_w${i}`, TEMPLATE_DB);
    const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'caisse_test_' || $1 || '_x_%'`, [RUN_ID]);
    for (const row of stale.rows) await drop(admin, row.datname);
  } finally {
    await admin.end();
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    // Only this run's keys: every test app prefixes its keys with KEY_PREFIX.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch (e) {
    throw new Error(`Tests need Redis at ${TEST_REDIS_URL} (set TEST_REDIS_URL): ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

async function drop(admin: pg.Client, name: string): Promise<void> {
  assertTestDb(name);
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function recreate(admin: pg.Client, name: string, template?: string): Promise<void> {
  await drop(admin, name);
  await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
}
