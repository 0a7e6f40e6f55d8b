import pg from 'pg';
import type { DataSource } from 'typeorm';
import { hot, hotUpTo, installPreparedStatements, preparedStatementsEnabled } from './prepared.js';

/** Against the worker's own test database: what PostgreSQL holds as prepared on the very connection that ran the query. */
describe('named prepared statements for hot queries', () => {
  const pools: pg.Pool[] = [];
  afterAll(() => Promise.all(pools.map((p) => p.end())));

  async function preparedAfter(enabled: boolean, sql: string): Promise<string[]> {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    pools.push(pool);
    installPreparedStatements({ driver: { master: pool } } as unknown as DataSource, enabled);
    const client = await pool.connect();
    try {
      const first = await client.query(sql, [2]);
      const second = await client.query(sql, [3]);
      expect([first.rows[0].x, second.rows[0].x]).toEqual([3, 4]);
      const { rows } = await client.query(`SELECT name FROM pg_prepared_statements ORDER BY name`);
      return rows.map((r: { name: string }) => r.name);
    } finally {
      client.release();
    }
  }

  it('sends a marked text as a named statement, prepared once per connection', async () => {
    const names = await preparedAfter(true, hot(`SELECT $1::int + 1 AS x /* marked */`));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^caisse_[0-9a-f]{16}$/);
  });

  it('leaves unmarked texts alone, and everything when switched off', async () => {
    expect(await preparedAfter(true, `SELECT $1::int + 1 AS x /* not marked */`)).toEqual([]);
    expect(await preparedAfter(false, hot(`SELECT $1::int + 1 AS x /* marked, off */`))).toEqual([]);
  });

  it('names a batch statement only up to the size its generic plan suits', async () => {
    const sql = `SELECT $1::int + 1 AS x /* batch */`;
    expect(await preparedAfter(true, hotUpTo(5000, 256, sql))).toEqual([]);
    expect(await preparedAfter(true, hotUpTo(12, 256, sql))).toHaveLength(1);
  });

  it('reads DATABASE_PREPARED_STATEMENTS strictly', () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ DATABASE_PREPARED_STATEMENTS: 'OFF' })).toBe(false);
    expect(() => preparedStatementsEnabled({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/on or off/);
  });
});
