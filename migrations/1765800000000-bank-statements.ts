import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank statements and their matching with the books. Statements and lines are the bank's word, kept as imported
 * (never in the ledger's tables); a match ties bank lines to the 512x journal lines that explain them, under the
 * letter the ledger put on those lines. Unmatching keeps the row (undone_at) so the audit trail stays readable.
 */
export class BankStatements1765800000000 implements MigrationInterface {
  name = 'BankStatements1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bank_statements (
        id uuid PRIMARY KEY,
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        bank_account text NOT NULL,
        format text NOT NULL CHECK (format IN ('camt053', 'cfonb120', 'csv')),
        statement_ref text NOT NULL CHECK (length(statement_ref) <= 70),
        sequence text NOT NULL DEFAULT '' CHECK (length(sequence) <= 35),
        from_date date NOT NULL,
        to_date date NOT NULL CHECK (to_date >= from_date),
        opening numeric(15,2) NOT NULL,
        closing numeric(15,2) NOT NULL,
        line_count integer NOT NULL CHECK (line_count >= 0),
        file_sha256 text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_bank_statements_period UNIQUE (caisse_id, bank_account, from_date, to_date, sequence)
      );
      CREATE INDEX ix_bank_statements_account ON bank_statements (caisse_id, bank_account, to_date);

      CREATE TABLE bank_matches (
        id uuid PRIMARY KEY,
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        bank_account text NOT NULL,
        rule text NOT NULL CHECK (rule IN ('end-to-end', 'batch', 'direct-debit', 'reference', 'amount-date', 'manual', 'suggestion')),
        letter text NOT NULL,
        confidence numeric(3,2) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        matched_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        undone_at timestamptz
      );
      CREATE INDEX ix_bank_matches_open ON bank_matches (caisse_id, bank_account) WHERE undone_at IS NULL;

      CREATE TABLE bank_statement_lines (
        id uuid PRIMARY KEY,
        statement_id uuid NOT NULL REFERENCES bank_statements(id),
        caisse_id uuid NOT NULL,
        bank_account text NOT NULL,
        line_no integer NOT NULL CHECK (line_no >= 1),
        source_line integer NOT NULL,
        booked_on date NOT NULL,
        value_on date,
        amount numeric(15,2) NOT NULL CHECK (amount <> 0),
        reference text NOT NULL DEFAULT '',
        end_to_end_ids text[] NOT NULL DEFAULT '{}',
        batch_refs text[] NOT NULL DEFAULT '{}',
        counterparty_name text NOT NULL DEFAULT '',
        counterparty_iban text NOT NULL DEFAULT '',
        remittance text NOT NULL DEFAULT '',
        bank_code text NOT NULL DEFAULT '',
        label text NOT NULL DEFAULT '',
        match_id uuid REFERENCES bank_matches(id),
        proposal jsonb,
        CONSTRAINT uq_bank_statement_lines_no UNIQUE (statement_id, line_no)
      );
      CREATE INDEX ix_bank_statement_lines_open ON bank_statement_lines (caisse_id, bank_account, booked_on) WHERE match_id IS NULL;
      CREATE INDEX ix_bank_statement_lines_match ON bank_statement_lines (match_id) WHERE match_id IS NOT NULL;

      CREATE TABLE bank_match_book_lines (
        match_id uuid NOT NULL REFERENCES bank_matches(id),
        entry_id uuid NOT NULL,
        line_no smallint NOT NULL,
        book_date date NOT NULL,
        amount numeric(15,2) NOT NULL,
        PRIMARY KEY (match_id, entry_id, line_no),
        CONSTRAINT fk_bank_match_book_lines_line FOREIGN KEY (entry_id, line_no) REFERENCES journal_lines (entry_id, line_no)
      );

      CREATE TABLE bank_csv_mappings (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        bank_account text NOT NULL,
        mapping jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, bank_account)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bank_csv_mappings; DROP TABLE bank_match_book_lines; DROP TABLE bank_statement_lines; DROP TABLE bank_matches; DROP TABLE bank_statements;`);
  }
}
