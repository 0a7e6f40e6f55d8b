import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Same guarantees as the ledger migration, at a fraction of the per-row cost of batched postings:
 * - An entry's balance is still checked at commit, by the entry's own deferred trigger (all its lines are in by
 *   then). The per-line deferred trigger only existed to catch a line slipped into an entry recorded earlier; a
 *   statement-level check now refuses such a line at once: every inserted line must belong to an entry inserted by
 *   the same transaction (the entry's xmin is the current transaction id; the ledger never posts from a savepoint).
 * - The closed-period check runs once per statement over the inserted entries instead of once per entry.
 * - Rows rewritten by every posting (account balances, the entry counter, receipt counters) keep room on their page,
 *   so each new version stays on the same page (a HOT update: no index entry, pruned in place).
 */
export class LedgerStatementChecks1764900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER trg_journal_lines_balanced ON journal_lines;

      CREATE FUNCTION ledger_lines_own_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE entry uuid;
      BEGIN
        SELECT l.entry_id INTO entry
          FROM new_lines l JOIN journal_entries e ON e.id = l.entry_id
         WHERE e.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296
         LIMIT 1;
        IF entry IS NOT NULL THEN
          RAISE EXCEPTION 'journal entry % would become unbalanced: a line cannot be added to an entry already recorded', entry
            USING ERRCODE = 'P0004', CONSTRAINT = 'ledger_entry_balanced';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER trg_journal_lines_own_entry AFTER INSERT ON journal_lines
        REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_own_entry();

      DROP TRIGGER trg_journal_entries_period_open ON journal_entries;
      CREATE FUNCTION ledger_entries_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE TRIGGER trg_journal_entries_period_open AFTER INSERT ON journal_entries
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_period_open();

      ALTER TABLE ledger_accounts SET (fillfactor = 50);
      ALTER TABLE ledger_books SET (fillfactor = 50);
      ALTER TABLE purchase_receipt_counters SET (fillfactor = 50);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_accounts RESET (fillfactor);
      ALTER TABLE ledger_books RESET (fillfactor);
      ALTER TABLE purchase_receipt_counters RESET (fillfactor);
      DROP TRIGGER trg_journal_entries_period_open ON journal_entries;
      DROP FUNCTION ledger_entries_period_open();
      CREATE TRIGGER trg_journal_entries_period_open BEFORE INSERT ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_period_open();
      DROP TRIGGER trg_journal_lines_own_entry ON journal_lines;
      DROP FUNCTION ledger_lines_own_entry();
      CREATE CONSTRAINT TRIGGER trg_journal_lines_balanced AFTER INSERT ON journal_lines
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
    `);
  }
}
