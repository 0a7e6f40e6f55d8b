import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Books a real association can keep (items 5–7): the member-month row that serialises a member's payments of one
 * month and fixes the allocation the gift part is measured against; the top-up part of each allocation, charged to
 * the fund the rule names (shown per month in the fund figures); and, on allocation lines, the split that lets an
 * expiry go back to the fund that paid the expiring money.
 */
export class GiftPartTopup1765200000000 implements MigrationInterface {
  name = 'GiftPartTopup1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contribution_months (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid NOT NULL REFERENCES members(id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        -- The month's allocation read at its first payment; NULL: no part of the month is a gift (rule off, or top-up/mean).
        gift_threshold numeric(15,2) CHECK (gift_threshold >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, member_id, period)
      );

      CREATE TABLE top_up_charges (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        member_id uuid NOT NULL REFERENCES members(id),
        fund text,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        entry_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, period, member_id),
        CONSTRAINT fk_top_up_charges_fund FOREIGN KEY (caisse_id, fund) REFERENCES contribution_funds (caisse_id, code)
      );
      CREATE INDEX ix_top_up_charges_fund ON top_up_charges (caisse_id, fund, period);

      -- Defaults keep the lines written before this migration as they were: no top-up, the run's fund paid it all.
      ALTER TABLE allocation_run_lines
        ADD COLUMN top_up numeric(15,2) NOT NULL DEFAULT 0 CHECK (top_up >= 0),
        ADD COLUMN top_up_fund text,
        ADD CONSTRAINT ck_allocation_run_lines_top_up CHECK (top_up <= amount);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE allocation_run_lines DROP CONSTRAINT ck_allocation_run_lines_top_up, DROP COLUMN top_up_fund, DROP COLUMN top_up;
      DROP TABLE top_up_charges; DROP TABLE contribution_months;
    `);
  }
}
