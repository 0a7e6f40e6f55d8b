import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions of the web pages. The cookie holds a random id; only its SHA-256 is stored, so a copy of the
 * table opens no session. A session belongs to a user (staff) or to a member of one caisse (card + PIN, with the card
 * used, so blocking it ends the session); it carries the secret its CSRF tokens are derived from, and both an idle and
 * an absolute expiry. Logging out deletes the row. Beside them, the figures each caisse publishes on its public page.
 */
export class WebSessions1766100000000 implements MigrationInterface {
  name = 'WebSessions1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        caisse_id uuid REFERENCES caisses(id),
        member_id uuid REFERENCES members(id) ON DELETE CASCADE,
        card_id uuid,
        csrf_secret bytea NOT NULL CHECK (octet_length(csrf_secret) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        idle_expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        CONSTRAINT ck_web_sessions_subject CHECK ((user_id IS NULL) <> (member_id IS NULL)),
        CONSTRAINT ck_web_sessions_member_caisse CHECK (member_id IS NULL OR caisse_id IS NOT NULL),
        CONSTRAINT ck_web_sessions_expiry CHECK (idle_expires_at <= absolute_expires_at AND created_at < absolute_expires_at)
      );
      CREATE INDEX ix_web_sessions_user ON web_sessions (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX ix_web_sessions_member ON web_sessions (member_id) WHERE member_id IS NOT NULL;
      CREATE INDEX ix_web_sessions_expiry ON web_sessions (idle_expires_at);

      -- Which live activity figures a caisse chose to show on its public "how it works" page (none until it chooses).
      CREATE TABLE web_public_figures (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        figures text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_web_public_figures_known CHECK (figures <@ ARRAY['members', 'allocations', 'outlets', 'decisions', 'available']::text[])
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_public_figures; DROP TABLE web_sessions;`);
  }
}
