import '../support/resolve-ts.cjs';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import globalSetup from '../support/global-setup.js';
import { dbUrl, TEMPLATE_DB, TEST_ADMIN_DB_URL } from '../support/test-env.js';
import { buildIfStale } from './build-once.js';

/**
 * The drills spawn the built server (dist/src/main.js), so the build comes first. Their databases are clones of the
 * suite's migrated template: in `npm test` the suite project's global setup has just made it; run alone
 * (`--selectProjects drills`), the template is made here when missing or behind the migrations.
 */
export default async function drillsSetup(config: { maxWorkers: number }): Promise<void> {
  buildIfStale(process.cwd());
  process.env.CAISSE_TEST_ADMIN_URL = TEST_ADMIN_DB_URL;
  if (!(await templateCurrent())) await globalSetup(config);
}

async function templateCurrent(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DB]);
    if (found.rowCount === 0) return false;
  } finally {
    await admin.end();
  }
  const template = new pg.Client({ connectionString: dbUrl(TEMPLATE_DB) });
  await template.connect();
  try {
    const { rows } = await template.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    return Number(rows[0].n) === migrations.length;
  } catch {
    return false;
  } finally {
    await template.end();
  }
}
