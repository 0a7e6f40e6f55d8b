import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settlements: payout runs to outlets (SEPA pain.001), their lines per outlet and the 401 journal lines each line
 * pays. The money itself is in the ledger (REG entries, lettering); these tables hold the run's workflow (four-eyes
 * approval, export, bank statuses) and what the remittance statements list.
 *
 * Outlets gain a structured postal address (pain.001 since November 2026: town and country at least) and the time
 * their IBAN last changed (a payout to a new IBAN needs an explicit confirmation at approval).
 */
export class Settlements1765700000000 implements MigrationInterface {
  name = 'Settlements1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outlets
        ADD COLUMN street_name text CHECK (length(street_name) BETWEEN 1 AND 70),
        ADD COLUMN building_number text CHECK (length(building_number) BETWEEN 1 AND 16),
        ADD COLUMN country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        ADD COLUMN iban_changed_at timestamptz;

      CREATE TABLE settlement_settings (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        iban_change_window_days integer NOT NULL DEFAULT 30 CHECK (iban_change_window_days BETWEEN 0 AND 365),
        last_run_no integer NOT NULL DEFAULT 0 CHECK (last_run_no >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE settlement_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        run_no integer NOT NULL CHECK (run_no > 0),
        until_date date NOT NULL,
        bank_account text NOT NULL,
        min_amount numeric(15,2) NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
        instant boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'exported', 'cancelled')),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        approved_by uuid,
        approved_at timestamptz,
        message_id text CHECK (message_id ~ '^[A-Za-z0-9]{1,35}$'),
        pain_version text CHECK (pain_version IN ('09', '03')),
        exported_at timestamptz,
        execution_date date,
        CONSTRAINT uq_settlement_runs_no UNIQUE (caisse_id, run_no),
        -- Unique across caisses: a bank refuses a second file with the same MsgId.
        CONSTRAINT uq_settlement_runs_message UNIQUE (message_id),
        CONSTRAINT ck_settlement_runs_four_eyes CHECK (approved_by IS NULL OR approved_by <> created_by),
        CONSTRAINT ck_settlement_runs_exported CHECK ((status = 'exported') = (message_id IS NOT NULL AND exported_at IS NOT NULL))
      );
      CREATE INDEX ix_settlement_runs_caisse ON settlement_runs (caisse_id, run_no DESC);

      CREATE TABLE settlement_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES settlement_runs(id),
        caisse_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        outlet_code text NOT NULL,
        account_code text NOT NULL,
        payee_name text NOT NULL,
        iban text NOT NULL,
        bic text,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        end_to_end_id text NOT NULL CHECK (end_to_end_id ~ '^[A-Za-z0-9-]{1,35}$'),
        period_from date NOT NULL,
        iban_changed_at timestamptz,
        iban_flagged boolean NOT NULL DEFAULT false,
        iban_confirmed_by uuid,
        address jsonb,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected', 'returned')),
        bank_status text,
        reason_code text,
        reason_text text,
        status_on date,
        payout_entry_id uuid,
        payout_letter text,
        reversal_entry_id uuid,
        CONSTRAINT uq_settlement_lines_outlet UNIQUE (run_id, outlet_id),
        CONSTRAINT uq_settlement_lines_e2e UNIQUE (caisse_id, end_to_end_id),
        CONSTRAINT fk_settlement_lines_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT ck_settlement_lines_confirmed CHECK (iban_confirmed_by IS NULL OR iban_flagged)
      );
      CREATE INDEX ix_settlement_lines_run ON settlement_lines (run_id);
      CREATE INDEX ix_settlement_lines_outlet ON settlement_lines (outlet_id);

      -- The open 401 journal lines a run line pays (purchases credit, refunds debit). A journal line is held by one
      -- live run line at most: two runs cannot pay the same purchase. It is released (held = false) when its run is
      -- cancelled or its transfer rejected or returned, so a later run pays it again.
      CREATE TABLE settlement_items (
        line_id uuid NOT NULL REFERENCES settlement_lines(id),
        entry_id uuid NOT NULL,
        line_no smallint NOT NULL,
        entry_date date NOT NULL,
        journal text NOT NULL,
        piece_ref text NOT NULL,
        label text NOT NULL,
        amount numeric(15,2) NOT NULL CHECK (amount <> 0),
        held boolean NOT NULL DEFAULT true,
        PRIMARY KEY (line_id, entry_id, line_no),
        CONSTRAINT fk_settlement_items_line FOREIGN KEY (entry_id, line_no) REFERENCES journal_lines (entry_id, line_no)
      );
      CREATE UNIQUE INDEX uq_settlement_items_held ON settlement_items (entry_id, line_no) WHERE held;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE settlement_items;
      DROP TABLE settlement_lines;
      DROP TABLE settlement_runs;
      DROP TABLE settlement_settings;
      ALTER TABLE outlets DROP COLUMN iban_changed_at, DROP COLUMN country, DROP COLUMN building_number, DROP COLUMN street_name;
    `);
  }
}
