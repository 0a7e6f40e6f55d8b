import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A direct-debit batch names the bank account it is collected on (512x): the settlement debits that account and a
 * return after settlement credits it. Batches built before bank accounts existed went through the caisse's 512.
 */
export class DirectDebitBank1765400000000 implements MigrationInterface {
  name = 'DirectDebitBank1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE direct_debit_batches ADD COLUMN bank_account text NOT NULL DEFAULT '512' CHECK (bank_account ~ '^512[0-9]*$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE direct_debit_batches DROP COLUMN bank_account`);
  }
}
