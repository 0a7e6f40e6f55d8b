import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Less work for PostgreSQL per purchase, with the same guarantees:
 * - Balance checks per statement instead of a deferred trigger per entry. An entry and its lines now go in with one
 *   statement (the ledger always did so): after each statement that inserts entries, every new entry has lines; after
 *   each statement that inserts lines, every entry they touch was inserted by this transaction and balances with at
 *   least two lines. So no statement can leave an entry unbalanced, and a raw-SQL entry without lines, a one-sided
 *   entry or a line slipped into an existing entry is refused as before (sooner: at the statement, not at commit).
 * - purchases: its caisse is the one of its entry (a composite key to journal_entries, which the lines' key already
 *   uses) instead of a key to caisses that share-locked the caisse's row for every purchase; its outlet is the one of
 *   its receipt counter, a row the same statement has just updated, instead of share-locking the outlet's row (the
 *   counter's own key still points at outlets). The purchase's Idempotency-Key is unique through its entry's ledger
 *   key (`purchase:<key>`), which is already unique per caisse: the second unique index on purchases goes.
 * - The one-reversal-per-entry rule indexes reversals only (most entries reverse nothing), under the same name.
 */
export class TillLeanWrites1766900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER trg_journal_entries_balanced ON journal_entries;

      CREATE FUNCTION ledger_entries_have_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE entry uuid;
      BEGIN
        SELECT n.id INTO entry FROM new_entries n WHERE NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_id = n.id) LIMIT 1;
        IF entry IS NOT NULL THEN
          RAISE EXCEPTION 'journal entry % is unbalanced: it has no lines (an entry and its lines go in with one statement)', entry
            USING ERRCODE = 'P0004', CONSTRAINT = 'ledger_entry_balanced';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER trg_journal_entries_have_lines AFTER INSERT ON journal_entries
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_have_lines();

      CREATE OR REPLACE FUNCTION ledger_lines_own_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE entry uuid; recorded boolean; d numeric; c numeric; n bigint;
      BEGIN
        SELECT e.id, e.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296, s.d, s.c, s.n
          INTO entry, recorded, d, c, n
          FROM (SELECT DISTINCT entry_id FROM new_lines) t
          JOIN journal_entries e ON e.id = t.entry_id
          CROSS JOIN LATERAL (SELECT coalesce(sum(l.debit), 0) AS d, coalesce(sum(l.credit), 0) AS c, count(*) AS n
                                FROM journal_lines l WHERE l.entry_id = e.id) s
         WHERE e.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296 OR s.n < 2 OR s.d <> s.c
         LIMIT 1;
        IF entry IS NULL THEN
          RETURN NULL;
        ELSIF recorded THEN
          RAISE EXCEPTION 'journal entry % would become unbalanced: a line cannot be added to an entry already recorded', entry
            USING ERRCODE = 'P0004', CONSTRAINT = 'ledger_entry_balanced';
        ELSE
          RAISE EXCEPTION 'journal entry % is unbalanced: debits %, credits %, % lines', entry, d, c, n
            USING ERRCODE = 'P0004', CONSTRAINT = 'ledger_entry_balanced';
        END IF;
      END $$;

      ALTER TABLE journal_entries DROP CONSTRAINT uq_journal_entries_reverses;
      CREATE UNIQUE INDEX uq_journal_entries_reverses ON journal_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;

      ALTER TABLE purchases
        DROP CONSTRAINT purchases_caisse_id_fkey,
        DROP CONSTRAINT purchases_entry_id_fkey,
        DROP CONSTRAINT purchases_outlet_id_fkey,
        DROP CONSTRAINT uq_purchases_idempotency,
        ADD CONSTRAINT fk_purchases_entry FOREIGN KEY (entry_id, caisse_id) REFERENCES journal_entries (id, caisse_id),
        ADD CONSTRAINT fk_purchases_receipt_counter FOREIGN KEY (outlet_id) REFERENCES purchase_receipt_counters (outlet_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE purchases
        DROP CONSTRAINT fk_purchases_entry,
        DROP CONSTRAINT fk_purchases_receipt_counter,
        ADD CONSTRAINT purchases_caisse_id_fkey FOREIGN KEY (caisse_id) REFERENCES caisses (id),
        ADD CONSTRAINT purchases_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
        ADD CONSTRAINT purchases_outlet_id_fkey FOREIGN KEY (outlet_id) REFERENCES outlets (id),
        ADD CONSTRAINT uq_purchases_idempotency UNIQUE (caisse_id, idempotency_key);

      DROP INDEX uq_journal_entries_reverses;
      ALTER TABLE journal_entries ADD CONSTRAINT uq_journal_entries_reverses UNIQUE (reverses_entry_id);

      CREATE OR REPLACE FUNCTION ledger_lines_own_entry() RETURNS trigger LANGUAGE plpgsql AS $$
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
      DROP TRIGGER trg_journal_entries_have_lines ON journal_entries;
      DROP FUNCTION ledger_entries_have_lines();
      CREATE CONSTRAINT TRIGGER trg_journal_entries_balanced AFTER INSERT ON journal_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
    `);
  }
}
