import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A web session may belong to a till: a phone paired with one outlet's terminal key. It then acts exactly as that
 * key does through the API (the terminal pseudo-role, nothing else); revoking or deleting the key ends it.
 */
export class WebTillSessions1766300000000 implements MigrationInterface {
  name = 'WebTillSessions1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE web_sessions ADD COLUMN terminal_key_id uuid REFERENCES api_keys(id) ON DELETE CASCADE;
      ALTER TABLE web_sessions DROP CONSTRAINT ck_web_sessions_subject;
      ALTER TABLE web_sessions ADD CONSTRAINT ck_web_sessions_subject CHECK (num_nonnulls(user_id, member_id, terminal_key_id) = 1);
      ALTER TABLE web_sessions ADD CONSTRAINT ck_web_sessions_terminal_caisse CHECK (terminal_key_id IS NULL OR caisse_id IS NOT NULL);
      CREATE INDEX ix_web_sessions_terminal ON web_sessions (terminal_key_id) WHERE terminal_key_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM web_sessions WHERE terminal_key_id IS NOT NULL;
      DROP INDEX ix_web_sessions_terminal;
      ALTER TABLE web_sessions DROP CONSTRAINT ck_web_sessions_terminal_caisse;
      ALTER TABLE web_sessions DROP CONSTRAINT ck_web_sessions_subject;
      ALTER TABLE web_sessions ADD CONSTRAINT ck_web_sessions_subject CHECK ((user_id IS NULL) <> (member_id IS NULL));
      ALTER TABLE web_sessions DROP COLUMN terminal_key_id;
    `);
  }
}
