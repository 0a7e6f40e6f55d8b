import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Named prepared statements for the till's hot queries. PostgreSQL then parses and plans each of them once per
 * connection instead of at every call. Code marks a constant SQL text with `hot(sql)`; every pg client of the
 * data source sends a marked text as a named statement (`{ name, text, values }`), anything else as before.
 *
 * Off with DATABASE_PREPARED_STATEMENTS=off: behind a pooler in transaction mode (pgbouncer before 1.21) a statement
 * prepared on one server connection is unknown on the next one.
 */
const names = new Map<string, string>();

/** The largest batch (entries or purchases) sent as a named statement: a till's group commit, not an allocation chunk. */
export const HOT_BATCH_ROWS = 256;

export function hot(sql: string): string {
  if (!names.has(sql)) names.set(sql, `caisse_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`);
  return sql;
}

/**
 * `hot(sql)` for small batches only. A named statement is planned once for every size (a generic plan guesses a few
 * rows per array parameter and joins them with nested loops); a batch of thousands of entries is better planned for
 * its own size, so it goes as an unnamed statement (the same text with a comment, unknown to the registry).
 */
export function hotUpTo(rows: number, limit: number, sql: string): string {
  return rows <= limit ? hot(sql) : `${sql}\n/* large batch: planned for its size */`;
}

export function preparedStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.DATABASE_PREPARED_STATEMENTS ?? 'on').trim().toLowerCase();
  if (v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new Error(`DATABASE_PREPARED_STATEMENTS must be on or off, not ${JSON.stringify(env.DATABASE_PREPARED_STATEMENTS)}`);
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;
interface PgClient {
  query: Query;
}
interface PgPool {
  on(event: 'connect', listener: (client: PgClient) => void): void;
  _clients?: PgClient[];
}

const wrapped = new WeakSet<PgClient>();

function wrap(client: PgClient): void {
  if (wrapped.has(client)) return;
  wrapped.add(client);
  const original = client.query;
  client.query = function (this: PgClient, config: unknown, values?: unknown, callback?: unknown) {
    const name = typeof config === 'string' && typeof callback !== 'function' ? names.get(config) : undefined;
    if (name && (values === undefined || Array.isArray(values))) return original.call(this, { name, text: config, values });
    return original.call(this, config, values, callback);
  };
}

/** Makes every connection of the data source's pools (primary and replicas) send the marked texts as named statements. */
export function installPreparedStatements(dataSource: DataSource, enabled = preparedStatementsEnabled()): void {
  if (!enabled) return;
  const driver = dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
  for (const pool of [driver.master, ...(driver.slaves ?? [])]) {
    if (!pool) continue;
    pool.on('connect', wrap);
    for (const client of pool._clients ?? []) wrap(client);
  }
}
