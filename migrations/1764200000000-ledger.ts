import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The books. Every invariant a treasurer relies on is enforced here, by PostgreSQL itself, so that neither a bug
 * in the app nor a hand-written SQL statement can break them: balanced entries, one positive side per line,
 * append-only journal, no posting into a closed month, wallets never overdrawn, one reversal per entry.
 */
export class Ledger1764200000000 implements MigrationInterface {
  name = 'Ledger1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_books (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        last_entry_no bigint NOT NULL DEFAULT 0 CHECK (last_entry_no >= 0),
        closed_through date,
        opened_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE ledger_accounts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        number text NOT NULL CHECK (number ~ '^[1-7][0-9]{2,9}$'),
        aux text NOT NULL DEFAULT '' CHECK (aux ~ '^[A-Z0-9]{0,17}$'),
        code text GENERATED ALWAYS AS (CASE WHEN aux = '' THEN number ELSE number || '-' || aux END) STORED,
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        normal_side char(1) NOT NULL CHECK (normal_side IN ('D', 'C')),
        kind text NOT NULL CHECK (kind IN ('bank','receivable','wallet','payable','expense','income','equity','dedicated-fund')),
        no_overdraft boolean NOT NULL DEFAULT false,
        fund text,
        grant_ref text,
        debits_posted numeric(17,2) NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
        credits_posted numeric(17,2) NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_ledger_accounts_code UNIQUE (caisse_id, code),
        CONSTRAINT uq_ledger_accounts_id_caisse UNIQUE (id, caisse_id),
        -- A wallet is what the caisse owes a member: it may never be debit-balanced (no overdraft).
        CONSTRAINT ck_ledger_accounts_no_overdraft CHECK (NOT no_overdraft OR credits_posted >= debits_posted)
      );

      CREATE TABLE journal_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        entry_no bigint NOT NULL CHECK (entry_no > 0),
        journal text NOT NULL CHECK (journal IN ('BQ','COT','ALL','ACH','REG','OD','AN')),
        entry_date date NOT NULL,
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        piece_ref text NOT NULL CHECK (length(piece_ref) BETWEEN 1 AND 100),
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        reverses_entry_id uuid REFERENCES journal_entries(id),
        content_hash char(64) NOT NULL,
        validated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_journal_entries_id_caisse UNIQUE (id, caisse_id),
        CONSTRAINT uq_journal_entries_no UNIQUE (caisse_id, entry_no),
        CONSTRAINT uq_journal_entries_idempotency UNIQUE (caisse_id, idempotency_key),
        CONSTRAINT uq_journal_entries_reverses UNIQUE (reverses_entry_id)
      );
      CREATE INDEX ix_journal_entries_date ON journal_entries (caisse_id, entry_date);

      CREATE TABLE journal_lines (
        entry_id uuid NOT NULL,
        line_no smallint NOT NULL CHECK (line_no > 0),
        caisse_id uuid NOT NULL,
        account_id bigint NOT NULL,
        debit numeric(15,2) NOT NULL DEFAULT 0,
        credit numeric(15,2) NOT NULL DEFAULT 0,
        fund text,
        grant_ref text,
        PRIMARY KEY (entry_id, line_no),
        CONSTRAINT fk_journal_lines_entry FOREIGN KEY (entry_id, caisse_id) REFERENCES journal_entries (id, caisse_id),
        CONSTRAINT fk_journal_lines_account FOREIGN KEY (account_id, caisse_id) REFERENCES ledger_accounts (id, caisse_id),
        CONSTRAINT ck_journal_lines_one_side CHECK ((debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0))
      );
      CREATE INDEX ix_journal_lines_account ON journal_lines (account_id, entry_id);

      CREATE TABLE ledger_closings (
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        closed_at timestamptz NOT NULL DEFAULT now(),
        closed_by uuid,
        last_entry_no bigint NOT NULL,
        total_debit numeric(17,2) NOT NULL,
        total_credit numeric(17,2) NOT NULL,
        PRIMARY KEY (caisse_id, period)
      );

      CREATE TABLE ledger_seals (
        caisse_id uuid NOT NULL REFERENCES ledger_books(caisse_id),
        seq integer NOT NULL CHECK (seq > 0),
        from_entry_no bigint NOT NULL,
        to_entry_no bigint NOT NULL CHECK (to_entry_no >= from_entry_no),
        entries_hash char(64) NOT NULL,
        total_debit numeric(17,2) NOT NULL,
        total_credit numeric(17,2) NOT NULL,
        previous_hash char(64) NOT NULL,
        seal_hash char(64) NOT NULL,
        sealed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, seq),
        CONSTRAINT uq_ledger_seals_to UNIQUE (caisse_id, to_entry_no)
      );

      CREATE TRIGGER trg_journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_ledger_closings_append_only BEFORE UPDATE OR DELETE ON ledger_closings
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_ledger_seals_append_only BEFORE UPDATE OR DELETE ON ledger_seals
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE FUNCTION ledger_entry_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE through date;
      BEGIN
        SELECT closed_through INTO through FROM ledger_books WHERE caisse_id = NEW.caisse_id;
        IF through IS NOT NULL AND NEW.entry_date <= through THEN
          RAISE EXCEPTION 'entry dated % falls in a closed period (closed through %)', NEW.entry_date, through
            USING ERRCODE = 'P0002', CONSTRAINT = 'ledger_period_closed';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_journal_entries_period_open BEFORE INSERT ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_period_open();

      -- A closed period stays closed: closed_through only moves forward.
      CREATE FUNCTION ledger_books_closed_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.closed_through IS NOT NULL AND (NEW.closed_through IS NULL OR NEW.closed_through < OLD.closed_through) THEN
          RAISE EXCEPTION 'a closed period cannot be reopened' USING ERRCODE = 'P0003';
        END IF;
        IF NEW.last_entry_no < OLD.last_entry_no THEN
          RAISE EXCEPTION 'entry numbering cannot go back' USING ERRCODE = 'P0003';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_ledger_books_forward BEFORE UPDATE ON ledger_books
        FOR EACH ROW EXECUTE FUNCTION ledger_books_closed_forward();
      CREATE TRIGGER trg_ledger_books_no_delete BEFORE DELETE ON ledger_books
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Balances follow the lines in the same statement, whoever inserts them.
      CREATE FUNCTION ledger_apply_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger_accounts a
           SET debits_posted = a.debits_posted + s.d, credits_posted = a.credits_posted + s.c
          FROM (SELECT account_id, sum(debit) AS d, sum(credit) AS c FROM new_lines GROUP BY account_id) s
         WHERE a.id = s.account_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER trg_journal_lines_balances AFTER INSERT ON journal_lines
        REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_lines();

      -- Checked at commit, once all lines of the entry are in: debits = credits, at least two lines. Fired by the entry
      -- (an entry with no line) and by each line (a line slipped into an existing entry).
      CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE entry uuid; d numeric; c numeric; n integer;
      BEGIN
        IF TG_TABLE_NAME = 'journal_entries' THEN entry := NEW.id; ELSE entry := NEW.entry_id; END IF;
        SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO d, c, n
          FROM journal_lines WHERE entry_id = entry;
        IF n < 2 OR d <> c THEN
          RAISE EXCEPTION 'journal entry % is unbalanced: debits %, credits %, % lines', entry, d, c, n
            USING ERRCODE = 'P0004', CONSTRAINT = 'ledger_entry_balanced';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER trg_journal_entries_balanced AFTER INSERT ON journal_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
      CREATE CONSTRAINT TRIGGER trg_journal_lines_balanced AFTER INSERT ON journal_lines
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ledger_seals, ledger_closings, journal_lines, journal_entries, ledger_accounts, ledger_books CASCADE;
      DROP FUNCTION ledger_entry_balanced(), ledger_apply_lines(),
        ledger_books_closed_forward(), ledger_entry_period_open();
    `);
  }
}
