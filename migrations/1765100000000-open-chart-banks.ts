import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts every caisse's books get (accounting.md defaults): treasury, suspense, running costs, payroll. */
const NEW_DEFAULTS: [string, string, 'D' | 'C', string, boolean][] = [
  ['5112', 'Chèques à encaisser', 'D', 'bank', true],
  ['530', 'Caisse (espèces)', 'D', 'bank', true],
  ['580', 'Virements internes', 'D', 'bank', false],
  ['471', "Compte d'attente", 'D', 'suspense', false],
  ['487', "Produits constatés d'avance", 'C', 'liability', false],
  ['421', 'Personnel — rémunérations dues', 'C', 'liability', false],
  ['431', 'Sécurité sociale', 'C', 'liability', false],
  ['613', 'Locations', 'D', 'expense', false],
  ['616', "Primes d'assurance", 'D', 'expense', false],
  ['624', 'Transports de biens et transports collectifs du personnel', 'D', 'expense', false],
  ['641', 'Rémunérations du personnel', 'D', 'expense', false],
  ['645', 'Charges de sécurité sociale et de prévoyance', 'D', 'expense', false],
];

/**
 * Books a real association can keep:
 * - open chart: a caisse adds accounts of its own (flag `custom`), closes unused ones (`closed_at`), never deletes;
 * - bank accounts: one 512x per IBAN, one default; every existing caisse gets 512 as its default so nothing posted
 *   changes meaning; cash (530) and cheques (5112) can never go below zero, like wallets;
 * - deposit slips numbered per caisse;
 * - per-fiscal-year entry numbers (FEC EcritureNum) beside the global number, which stays as it was: the seals chain
 *   over it and the content hash never covered numbers. Old entries are numbered in their posting (global) order;
 * - sanity limits per caisse (days ahead, amount per line, first fiscal year of the books).
 */
export class OpenChartBanks1765100000000 implements MigrationInterface {
  name = 'OpenChartBanks1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_fiscal_year(d date, start_month integer) RETURNS date LANGUAGE sql IMMUTABLE AS $$
        SELECT make_date(extract(year FROM d)::int - CASE WHEN extract(month FROM d)::int < start_month THEN 1 ELSE 0 END, start_month, 1)
      $$;

      ALTER TABLE ledger_books
        ADD COLUMN fiscal_year_start_month smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
        ADD COLUMN books_start date CHECK (extract(day FROM books_start) = 1),
        ADD COLUMN max_days_ahead integer NOT NULL DEFAULT 31 CHECK (max_days_ahead BETWEEN 0 AND 366),
        ADD COLUMN max_line_amount numeric(15,2) NOT NULL DEFAULT 1000000.00 CHECK (max_line_amount > 0),
        ADD COLUMN last_deposit_no integer NOT NULL DEFAULT 0 CHECK (last_deposit_no >= 0);
      UPDATE ledger_books b SET fiscal_year_start_month = c.fiscal_year_start_month FROM caisses c WHERE c.id = b.caisse_id;
      -- The books start with the fiscal year before the one they were opened in (last year's books are usually still
      -- being finished), or earlier when entries already exist there.
      UPDATE ledger_books b SET books_start = least(
        (ledger_fiscal_year(b.opened_at::date, b.fiscal_year_start_month) - interval '1 year')::date,
        (SELECT ledger_fiscal_year(min(e.entry_date), b.fiscal_year_start_month) FROM journal_entries e WHERE e.caisse_id = b.caisse_id));

      ALTER TABLE journal_entries ADD COLUMN fiscal_year date, ADD COLUMN year_entry_no bigint;
      ALTER TABLE journal_entries DISABLE TRIGGER trg_journal_entries_append_only;
      UPDATE journal_entries e SET fiscal_year = x.fy, year_entry_no = x.n
        FROM (SELECT e.id, ledger_fiscal_year(e.entry_date, b.fiscal_year_start_month) AS fy,
                     row_number() OVER (PARTITION BY e.caisse_id, ledger_fiscal_year(e.entry_date, b.fiscal_year_start_month) ORDER BY e.entry_no) AS n
                FROM journal_entries e JOIN ledger_books b ON b.caisse_id = e.caisse_id) x
       WHERE x.id = e.id;
      ALTER TABLE journal_entries ENABLE TRIGGER trg_journal_entries_append_only;
      ALTER TABLE journal_entries
        ALTER COLUMN fiscal_year SET NOT NULL,
        ALTER COLUMN year_entry_no SET NOT NULL,
        ADD CONSTRAINT ck_journal_entries_fiscal_year
          CHECK (extract(day FROM fiscal_year) = 1 AND entry_date >= fiscal_year AND entry_date < fiscal_year + interval '1 year'),
        ADD CONSTRAINT ck_journal_entries_year_entry_no CHECK (year_entry_no > 0),
        ADD CONSTRAINT uq_journal_entries_year_no UNIQUE (caisse_id, fiscal_year, year_entry_no);

      CREATE TABLE ledger_year_counters (
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        fiscal_year date NOT NULL,
        last_entry_no bigint NOT NULL CHECK (last_entry_no >= 0),
        PRIMARY KEY (caisse_id, fiscal_year)
      ) WITH (fillfactor = 50);
      INSERT INTO ledger_year_counters (caisse_id, fiscal_year, last_entry_no)
        SELECT caisse_id, fiscal_year, max(year_entry_no) FROM journal_entries GROUP BY caisse_id, fiscal_year;
      CREATE FUNCTION ledger_year_counter_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_entry_no < OLD.last_entry_no OR NEW.fiscal_year <> OLD.fiscal_year OR NEW.caisse_id <> OLD.caisse_id THEN
          RAISE EXCEPTION 'entry numbering cannot go back' USING ERRCODE = 'P0003';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_ledger_year_counters_forward BEFORE UPDATE ON ledger_year_counters
        FOR EACH ROW EXECUTE FUNCTION ledger_year_counter_forward();
      CREATE TRIGGER trg_ledger_year_counters_no_delete BEFORE DELETE ON ledger_year_counters
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- The ledger assigns both numbers in its insert statement; an entry inserted any other way (by hand, in SQL)
      -- still gets the next number of its year from the same counter, so a year never holds two entries per number.
      CREATE FUNCTION ledger_entry_year_number() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE m smallint;
      BEGIN
        IF NEW.fiscal_year IS NULL THEN
          SELECT fiscal_year_start_month INTO m FROM ledger_books WHERE caisse_id = NEW.caisse_id;
          NEW.fiscal_year := ledger_fiscal_year(NEW.entry_date, coalesce(m, 1));
        END IF;
        IF NEW.year_entry_no IS NULL THEN
          INSERT INTO ledger_year_counters AS c (caisse_id, fiscal_year, last_entry_no) VALUES (NEW.caisse_id, NEW.fiscal_year, 1)
            ON CONFLICT (caisse_id, fiscal_year) DO UPDATE SET last_entry_no = c.last_entry_no + 1
            RETURNING last_entry_no INTO NEW.year_entry_no;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_journal_entries_year_number BEFORE INSERT ON journal_entries
        FOR EACH ROW WHEN (NEW.fiscal_year IS NULL OR NEW.year_entry_no IS NULL) EXECUTE FUNCTION ledger_entry_year_number();

      ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN
        ('bank','receivable','wallet','payable','expense','income','equity','dedicated-fund','asset','third-party','liability','suspense'));
      ALTER TABLE ledger_accounts
        ADD COLUMN custom boolean NOT NULL DEFAULT false,
        ADD COLUMN auxiliary_kind text CHECK (auxiliary_kind IN ('supplier','employee','customer','other')),
        ADD COLUMN closed_at timestamptz;
      -- No overdraft, on the account's own side: a wallet is never debit-balanced, a till or a cheque drawer never
      -- credit-balanced (one cannot hand over more cash or cheques than were received).
      ALTER TABLE ledger_accounts DROP CONSTRAINT ck_ledger_accounts_no_overdraft;
      ALTER TABLE ledger_accounts ADD CONSTRAINT ck_ledger_accounts_no_overdraft CHECK (NOT no_overdraft OR
        (normal_side = 'C' AND credits_posted >= debits_posted) OR (normal_side = 'D' AND debits_posted >= credits_posted));

    `);
    await q.query(
      `INSERT INTO ledger_accounts (caisse_id, number, label, normal_side, kind, no_overdraft)
         SELECT b.caisse_id, x.number, x.label, x.side, x.kind, x.no_overdraft
           FROM ledger_books b,
                unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS x(number, label, side, kind, no_overdraft)
         ON CONFLICT (caisse_id, code) DO NOTHING`,
      [NEW_DEFAULTS.map((a) => a[0]), NEW_DEFAULTS.map((a) => a[1]), NEW_DEFAULTS.map((a) => a[2]), NEW_DEFAULTS.map((a) => a[3]), NEW_DEFAULTS.map((a) => a[4])],
    );
    await q.query(`

      CREATE TABLE ledger_bank_accounts (
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        account text NOT NULL CHECK (account ~ '^512[0-9]{0,7}$'),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
        iban text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
        bic text CHECK (bic ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
        creditor_id text CHECK (creditor_id ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,31}$'),
        is_default boolean NOT NULL DEFAULT false,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, account),
        CONSTRAINT ck_ledger_bank_accounts_default_open CHECK (NOT is_default OR closed_at IS NULL)
      );
      CREATE UNIQUE INDEX uq_ledger_bank_accounts_default ON ledger_bank_accounts (caisse_id) WHERE is_default;
      CREATE UNIQUE INDEX uq_ledger_bank_accounts_iban ON ledger_bank_accounts (caisse_id, iban) WHERE iban IS NOT NULL;
      INSERT INTO ledger_bank_accounts (caisse_id, account, label, is_default)
        SELECT caisse_id, '512', 'Banque', true FROM ledger_books;

      CREATE TABLE ledger_deposits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        slip_no integer NOT NULL CHECK (slip_no > 0),
        method text NOT NULL CHECK (method IN ('cash', 'cheque')),
        bank_account text NOT NULL,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        items jsonb NOT NULL DEFAULT '[]',
        deposited_on date NOT NULL,
        credited_on date NOT NULL CHECK (credited_on >= deposited_on),
        out_entry_id uuid NOT NULL REFERENCES journal_entries(id),
        in_entry_id uuid NOT NULL REFERENCES journal_entries(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_ledger_deposits_slip UNIQUE (caisse_id, slip_no),
        CONSTRAINT fk_ledger_deposits_bank FOREIGN KEY (caisse_id, bank_account) REFERENCES ledger_bank_accounts (caisse_id, account)
      );
      CREATE TRIGGER trg_ledger_deposits_append_only BEFORE UPDATE OR DELETE ON ledger_deposits
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ledger_deposits, ledger_bank_accounts, ledger_year_counters;
      DROP TRIGGER trg_journal_entries_year_number ON journal_entries;
      DROP FUNCTION ledger_entry_year_number(), ledger_year_counter_forward();
      ALTER TABLE journal_entries DROP CONSTRAINT uq_journal_entries_year_no, DROP CONSTRAINT ck_journal_entries_fiscal_year,
        DROP CONSTRAINT ck_journal_entries_year_entry_no;
      ALTER TABLE journal_entries DROP COLUMN year_entry_no, DROP COLUMN fiscal_year;
      ALTER TABLE ledger_accounts DROP CONSTRAINT ck_ledger_accounts_no_overdraft;
      ALTER TABLE ledger_accounts ADD CONSTRAINT ck_ledger_accounts_no_overdraft CHECK (NOT no_overdraft OR credits_posted >= debits_posted);
      ALTER TABLE ledger_accounts DROP COLUMN closed_at, DROP COLUMN auxiliary_kind, DROP COLUMN custom;
      ALTER TABLE ledger_books DROP COLUMN last_deposit_no, DROP COLUMN max_line_amount, DROP COLUMN max_days_ahead,
        DROP COLUMN books_start, DROP COLUMN fiscal_year_start_month;
      DROP FUNCTION ledger_fiscal_year(date, integer);
    `);
  }
}
