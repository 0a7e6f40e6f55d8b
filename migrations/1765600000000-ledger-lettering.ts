import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lettering (lettrage / pointage): which journal lines are matched together, e.g. a 512x line with the bank
 * statement line that proves it, or a 401 payout with the purchases it settles. It never changes an amount, so it
 * lives beside the append-only lines; the FEC shows it as EcritureLet / DateLet. Codes are per caisse, A, B, … Z, AA…
 * A line carries at most one letter; unlettering deletes the row (the caller audits it).
 */
export class LedgerLettering1765600000000 implements MigrationInterface {
  name = 'LedgerLettering1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_letter_counters (
        caisse_id uuid PRIMARY KEY REFERENCES ledger_books(caisse_id),
        last_no bigint NOT NULL CHECK (last_no >= 0)
      );
      CREATE TABLE journal_line_letters (
        entry_id uuid NOT NULL,
        line_no smallint NOT NULL,
        caisse_id uuid NOT NULL,
        letter text NOT NULL CHECK (letter ~ '^[A-Z]{1,8}$'),
        lettered_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, line_no),
        CONSTRAINT fk_journal_line_letters_line FOREIGN KEY (entry_id, line_no) REFERENCES journal_lines (entry_id, line_no)
      );
      CREATE INDEX ix_journal_line_letters_letter ON journal_line_letters (caisse_id, letter);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE journal_line_letters; DROP TABLE ledger_letter_counters;`);
  }
}
