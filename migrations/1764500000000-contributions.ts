import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'employer','public-funder','foundation','company','individual'`;
const METHODS = `'transfer','direct-debit','cash','card','cheque'`;
const FUND = `'^[a-z0-9]+(-[a-z0-9]+)*$'`;

/**
 * Contributions: contributors (employers, public funders, foundations, patrons, donors), the fund catalogue
 * (earmarks), member and contributor contributions, waivers, grant agreements and their tranches, SEPA mandates and
 * direct-debit batches. The money itself lives in the ledger; these tables hold the business facts that point at it.
 */
export class Contributions1764500000000 implements MigrationInterface {
  name = 'Contributions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contribution_settings (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        creditor_id text CHECK (creditor_id ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,31}$'),
        creditor_name text CHECK (length(creditor_name) BETWEEN 1 AND 70),
        creditor_iban text,
        creditor_bic text,
        next_contributor_no integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE contribution_funds (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        code text NOT NULL CHECK (code ~ ${FUND} AND length(code) <= 40),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
        usable_for_allocations boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, code)
      );

      CREATE TABLE contributors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        number text NOT NULL CHECK (number ~ '^F[0-9]{6}$'),
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        funder_type text,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 140),
        siret char(14),
        iban text,
        address text CHECK (length(address) <= 300),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_contributors_number UNIQUE (caisse_id, number),
        CONSTRAINT ck_contributors_funder_type CHECK ((kind = 'public-funder') = (funder_type IS NOT NULL))
      );

      CREATE TABLE grant_agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        contributor_id uuid NOT NULL REFERENCES contributors(id),
        reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9._/-]{1,40}$'),
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        received numeric(15,2) NOT NULL DEFAULT 0 CHECK (received >= 0),
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        fund text,
        notified_on date NOT NULL,
        entry_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_grant_agreements_reference UNIQUE (caisse_id, reference),
        -- A tranche can never exceed what the agreement promised, even under concurrent recordings.
        CONSTRAINT ck_grant_agreements_received CHECK (received <= amount),
        CONSTRAINT fk_grant_agreements_fund FOREIGN KEY (caisse_id, fund) REFERENCES contribution_funds (caisse_id, code)
      );

      CREATE TABLE grant_tranches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grant_id uuid NOT NULL REFERENCES grant_agreements(id),
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        received_on date NOT NULL,
        entry_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE contributions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid REFERENCES members(id),
        contributor_id uuid REFERENCES contributors(id),
        period char(7) CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        gift_part numeric(15,2) NOT NULL DEFAULT 0 CHECK (gift_part >= 0 AND gift_part <= amount),
        method text NOT NULL CHECK (method IN (${METHODS})),
        received_on date NOT NULL,
        fund text,
        income_account text NOT NULL,
        entry_id uuid NOT NULL,
        reversed_at timestamptz,
        reversal_entry_id uuid,
        reversal_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_contributions_payer CHECK ((member_id IS NULL) <> (contributor_id IS NULL)),
        CONSTRAINT ck_contributions_member_period CHECK (member_id IS NULL OR period IS NOT NULL),
        CONSTRAINT fk_contributions_fund FOREIGN KEY (caisse_id, fund) REFERENCES contribution_funds (caisse_id, code)
      );
      CREATE INDEX ix_contributions_member_period ON contributions (caisse_id, period, member_id);
      CREATE INDEX ix_contributions_contributor ON contributions (contributor_id);

      CREATE TABLE contribution_waivers (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid NOT NULL REFERENCES members(id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, member_id, period)
      );

      CREATE TABLE sepa_mandates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid NOT NULL REFERENCES members(id),
        reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 35),
        signed_on date NOT NULL,
        debtor_name text NOT NULL CHECK (length(debtor_name) BETWEEN 1 AND 70),
        iban text NOT NULL,
        bic text,
        -- FRST until a first collection went through; a returned FRST puts the mandate back to FRST.
        first_collected boolean NOT NULL DEFAULT false,
        revoked_on date,
        flagged_at timestamptz,
        flag_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_sepa_mandates_reference UNIQUE (caisse_id, reference)
      );
      CREATE UNIQUE INDEX uq_sepa_mandates_active_member ON sepa_mandates (caisse_id, member_id) WHERE revoked_on IS NULL;

      CREATE TABLE direct_debit_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        message_id text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 35),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        collection_date date NOT NULL,
        transactions integer NOT NULL CHECK (transactions > 0),
        control_sum numeric(15,2) NOT NULL CHECK (control_sum > 0),
        xml text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_direct_debit_batches_message UNIQUE (caisse_id, message_id)
      );

      CREATE TABLE direct_debit_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES direct_debit_batches(id),
        mandate_id uuid NOT NULL REFERENCES sepa_mandates(id),
        member_id uuid NOT NULL REFERENCES members(id),
        end_to_end_id text NOT NULL CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
        sequence_type char(4) NOT NULL CHECK (sequence_type IN ('FRST', 'RCUR')),
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        contribution_id uuid NOT NULL REFERENCES contributions(id),
        returned_on date,
        return_reason text,
        CONSTRAINT uq_direct_debit_items_e2e UNIQUE (batch_id, end_to_end_id)
      );

      -- Gapless numbering: one counter row per caisse, year and series, incremented under its row lock.
      CREATE TABLE tax_receipt_counters (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        year smallint NOT NULL,
        series text NOT NULL CHECK (series IN ('receipt', 'cancellation')),
        last_no integer NOT NULL CHECK (last_no >= 0),
        PRIMARY KEY (caisse_id, year, series)
      );

      CREATE TABLE tax_receipts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        year smallint NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        number text NOT NULL,
        member_id uuid REFERENCES members(id),
        contributor_id uuid REFERENCES contributors(id),
        donor_name text NOT NULL,
        donor_address text,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        legal_basis text NOT NULL CHECK (legal_basis IN ('CGI-200', 'CGI-238bis')),
        methods text[] NOT NULL,
        issued_on date NOT NULL,
        cancelled_at timestamptz,
        cancellation_seq integer,
        cancellation_number text,
        cancellation_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_tax_receipts_seq UNIQUE (caisse_id, year, seq),
        CONSTRAINT uq_tax_receipts_cancellation UNIQUE (caisse_id, year, cancellation_seq),
        CONSTRAINT ck_tax_receipts_donor CHECK ((member_id IS NULL) <> (contributor_id IS NULL))
      );

      CREATE TABLE tax_receipt_items (
        receipt_id uuid NOT NULL REFERENCES tax_receipts(id),
        contribution_id uuid NOT NULL REFERENCES contributions(id),
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (receipt_id, contribution_id)
      );
      -- The same money is never on two live receipts (a cancelled receipt frees it for a corrected one).
      CREATE UNIQUE INDEX uq_tax_receipt_items_live ON tax_receipt_items (contribution_id) WHERE active;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE tax_receipt_items; DROP TABLE tax_receipts; DROP TABLE tax_receipt_counters;
      DROP TABLE direct_debit_items; DROP TABLE direct_debit_batches; DROP TABLE sepa_mandates;
      DROP TABLE contribution_waivers; DROP TABLE contributions; DROP TABLE grant_tranches; DROP TABLE grant_agreements;
      DROP TABLE contributors; DROP TABLE contribution_funds; DROP TABLE contribution_settings;
    `);
  }
}
