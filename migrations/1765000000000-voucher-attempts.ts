import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wrong check codes are counted per voucher and lock it at the limit (as wrong PINs lock a card), so six digits
 * cannot be walked through at a till. voucher_counters stays: serials are drawn at random from now on, but older
 * rows and a rollback still make sense of it.
 */
export class VoucherAttempts1765000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vouchers
        ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0 CONSTRAINT ck_vouchers_failed_attempts CHECK (failed_attempts >= 0),
        ADD COLUMN locked_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vouchers DROP COLUMN locked_at, DROP COLUMN failed_attempts`);
  }
}
