import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Annual closing (clôture d'exercice). One row per closed fiscal year: who closed it, whether it was forced (and why),
 * its result, the entries it posted and the seal that covers them. Append-only, like the monthly closings.
 *
 * The year-end entries are dated in months that are already closed (the last day of the year for fonds dédiés, the
 * first day of the next year for the à-nouveaux, which may be closed too when the closing comes late). The period
 * trigger lets through exactly those dates when the closing transaction names them in `ledger.year_end_dates`
 * (set_config(…, true): local to that transaction); every other insert still meets the closed period.
 */
export class YearEnd1765900000000 implements MigrationInterface {
  name = 'YearEnd1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_year_closings (
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        fiscal_year date NOT NULL CHECK (extract(day FROM fiscal_year) = 1),
        closed_at timestamptz NOT NULL DEFAULT now(),
        closed_by uuid,
        forced boolean NOT NULL DEFAULT false,
        reason text CHECK (reason IS NULL OR length(reason) BETWEEN 10 AND 1000),
        result numeric(15,2) NOT NULL,
        entry_ids uuid[] NOT NULL,
        opening_entry_ids uuid[] NOT NULL,
        offset_entry_ids uuid[] NOT NULL,
        seal_seq integer,
        PRIMARY KEY (caisse_id, fiscal_year),
        CONSTRAINT ck_ledger_year_closings_reason CHECK (NOT forced OR reason IS NOT NULL)
      );
      CREATE TRIGGER trg_ledger_year_closings_append_only BEFORE UPDATE OR DELETE ON ledger_year_closings
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE OR REPLACE FUNCTION ledger_entries_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE day date; through date; allowed text[];
      BEGIN
        allowed := string_to_array(coalesce(current_setting('ledger.year_end_dates', true), ''), ',');
        SELECT n.entry_date, b.closed_through INTO day, through
          FROM new_entries n JOIN ledger_books b ON b.caisse_id = n.caisse_id
         WHERE n.entry_date <= b.closed_through AND NOT (n.entry_date::text = ANY (allowed))
         LIMIT 1;
        IF day IS NOT NULL THEN
          RAISE EXCEPTION 'entry dated % falls in a closed period (closed through %)', day, through
            USING ERRCODE = 'P0002', CONSTRAINT = 'ledger_period_closed';
        END IF;
        RETURN NULL;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ledger_year_closings;
      CREATE OR REPLACE FUNCTION ledger_entries_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE day date; through date;
      BEGIN
        SELECT n.entry_date, b.closed_through INTO day, through
          FROM new_entries n JOIN ledger_books b ON b.caisse_id = n.caisse_id
         WHERE n.entry_date <= b.closed_through
         LIMIT 1;
        IF day IS NOT NULL THEN
          RAISE EXCEPTION 'entry dated % falls in a closed period (closed through %)', day, through
            USING ERRCODE = 'P0002', CONSTRAINT = 'ledger_period_closed';
        END IF;
        RETURN NULL;
      END $$;
    `);
  }
}
