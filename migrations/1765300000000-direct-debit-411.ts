import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct debit through 411 (item 4): a batch calls the dues on the day it is built (D 411 / C 756) and the bank's
 * settlement moves them to 512, so a batch has a life — built, sent, settled or cancelled. Batches built before
 * this posted D 512 straight away: they count as settled, without a settlement entry of their own.
 */
export class DirectDebit4111765300000000 implements MigrationInterface {
  name = 'DirectDebit4111765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE direct_debit_batches
        ADD COLUMN built_on date,
        ADD COLUMN status text NOT NULL DEFAULT 'built' CHECK (status IN ('built', 'sent', 'settled', 'cancelled')),
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN settled_on date,
        ADD COLUMN settlement_entry_id uuid,
        ADD COLUMN cancelled_at timestamptz,
        ADD CONSTRAINT ck_direct_debit_batches_settled CHECK ((status = 'settled') = (settled_on IS NOT NULL) OR built_on IS NULL),
        ADD CONSTRAINT ck_direct_debit_batches_collection CHECK (built_on IS NULL OR collection_date > built_on);
      UPDATE direct_debit_batches SET status = 'settled' WHERE built_on IS NULL;

      ALTER TABLE direct_debit_items
        -- The member's 411 account the call debited (NULL: an older batch, posted on 512).
        ADD COLUMN receivable_account text,
        ADD COLUMN fee numeric(15,2) CHECK (fee >= 0),
        ADD COLUMN return_entry_id uuid;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE direct_debit_items DROP COLUMN return_entry_id, DROP COLUMN fee, DROP COLUMN receivable_account;
      ALTER TABLE direct_debit_batches DROP CONSTRAINT ck_direct_debit_batches_collection, DROP CONSTRAINT ck_direct_debit_batches_settled,
        DROP COLUMN cancelled_at, DROP COLUMN settlement_entry_id, DROP COLUMN settled_on, DROP COLUMN sent_at, DROP COLUMN status, DROP COLUMN built_on;
    `);
  }
}
