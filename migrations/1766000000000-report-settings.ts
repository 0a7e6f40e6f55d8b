import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per caisse: which management reports anyone may read without logging in (a caisse publishing its solidarity
 * figures), and the smallest count a public report shows (smaller cells are suppressed so nobody is identifiable).
 */
export class ReportSettings1766000000000 implements MigrationInterface {
  name = 'ReportSettings1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_settings (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        public_reports text[] NOT NULL DEFAULT '{}'
          CONSTRAINT ck_report_settings_reports CHECK (public_reports <@ ARRAY['funders','runway','solidarity','spending','activity']::text[]),
        min_cell smallint NOT NULL DEFAULT 5 CONSTRAINT ck_report_settings_min_cell CHECK (min_cell BETWEEN 2 AND 50),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_settings`);
  }
}
