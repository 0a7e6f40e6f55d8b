import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Allocation chunks stop rewriting their lines. A run keeps `posted_seq`, the last line of its last committed chunk,
 * moved in the same transaction as the chunk's entries; whether a member was credited is read from the ledger entry
 * under `alloc:<period>:<member>` (unique per caisse), so the lines are written once, when planned. Only refusals and
 * catch-ups still update a line. Lines done before this migration keep their stored status and entry ids.
 */
export class AllocationCredited1765500000000 implements MigrationInterface {
  name = 'AllocationCredited1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE allocation_runs ADD COLUMN posted_seq integer NOT NULL DEFAULT 0 CHECK (posted_seq >= 0);
      -- Written once and (nearly) never updated now: full pages, where the 60 % left room for HOT updates of every line.
      ALTER TABLE allocation_run_lines SET (fillfactor = 100);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE allocation_run_lines SET (fillfactor = 60);
      ALTER TABLE allocation_runs DROP COLUMN posted_seq;
    `);
  }
}
