/** Where the tests find their servers; CI and developers' machines run PostgreSQL and Redis locally. */
export const TEST_ADMIN_DB_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Separates concurrent test runs on one machine (e.g. two checkouts): every database and key carries it. */
export const RUN_ID = (process.env.TEST_RUN_ID ?? 'main').replace(/[^a-z0-9]/gi, '').toLowerCase() || 'main';
export const TEMPLATE_DB = `caisse_test_${RUN_ID}_template`;
export const KEY_PREFIX = `caisse_test_${RUN_ID}`;
export const ADMIN_EMAIL = 'platform-admin@test.caisse';
export const ADMIN_PASSWORD = 'test-admin-password-123';
export const JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export function dbUrl(name: string, base = process.env.CAISSE_TEST_ADMIN_URL ?? TEST_ADMIN_DB_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function workerDbName(): string {
  return `caisse_test_${RUN_ID}_w${process.env.JEST_WORKER_ID ?? '1'}`;
}

/** The harness refuses to touch a database whose name does not say it is a test one. */
export function assertTestDb(name: string): void {
  if (!name.includes('test')) throw new Error(`refusing to use database "${name}": its name does not contain "test"`);
}
