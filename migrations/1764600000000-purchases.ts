import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Purchases at the till, their refunds, paper vouchers, the per-outlet receipt counter and the caisse's purchase settings.
 * Money itself lives in the ledger (entry_id); these rows only say who bought where, under which key and receipt.
 * Receipt numbers are gapless per outlet: the counter row is bumped in the purchase's own transaction.
 */
export class Purchases1764600000000 implements MigrationInterface {
  name = 'Purchases1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE purchase_settings (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        pin_policy text NOT NULL DEFAULT 'always' CHECK (pin_policy IN ('always', 'above-amount', 'never')),
        pin_above numeric(15,2) NOT NULL DEFAULT 0 CHECK (pin_above >= 0),
        max_amount numeric(15,2) NOT NULL DEFAULT 500 CHECK (max_amount > 0),
        refund_window_days integer NOT NULL DEFAULT 7 CHECK (refund_window_days BETWEEN 0 AND 365),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE purchase_receipt_counters (
        outlet_id uuid PRIMARY KEY REFERENCES outlets(id),
        last_no integer NOT NULL CHECK (last_no >= 1)
      );

      CREATE TABLE purchases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        outlet_id uuid NOT NULL REFERENCES outlets(id),
        member_id uuid NOT NULL REFERENCES members(id),
        terminal_key_id uuid,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        request_hash text NOT NULL,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        covered numeric(15,2) NOT NULL CHECK (covered > 0 AND covered <= amount),
        member_pays numeric(15,2) NOT NULL CHECK (member_pays >= 0),
        partial boolean NOT NULL DEFAULT false,
        balance_after numeric(15,2) NOT NULL,
        entry_id uuid NOT NULL REFERENCES journal_entries(id),
        receipt_no integer NOT NULL CHECK (receipt_no >= 1),
        captured_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_purchases_idempotency UNIQUE (caisse_id, idempotency_key),
        CONSTRAINT uq_purchases_receipt UNIQUE (outlet_id, receipt_no),
        CONSTRAINT uq_purchases_entry UNIQUE (entry_id),
        CHECK (member_pays = amount - covered)
      );
      CREATE INDEX ix_purchases_outlet_day ON purchases (outlet_id, created_at);

      CREATE TABLE purchase_refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        purchase_id uuid NOT NULL REFERENCES purchases(id),
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        amount numeric(15,2) NOT NULL CHECK (amount > 0),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        entry_id uuid NOT NULL REFERENCES journal_entries(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_purchase_refunds_idempotency UNIQUE (caisse_id, idempotency_key)
      );
      CREATE INDEX ix_purchase_refunds_purchase ON purchase_refunds (purchase_id);

      CREATE TABLE voucher_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        count integer NOT NULL CHECK (count BETWEEN 1 AND 500),
        face_value numeric(15,2) NOT NULL CHECK (face_value > 0),
        member_id uuid REFERENCES members(id),
        entry_id uuid NOT NULL REFERENCES journal_entries(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_voucher_batches_idempotency UNIQUE (caisse_id, idempotency_key)
      );

      CREATE TABLE voucher_counters (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        last_no integer NOT NULL CHECK (last_no >= 1)
      );

      -- The check code is kept as a hash only: whoever reads the table cannot print a redeemable voucher.
      CREATE TABLE vouchers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        batch_id uuid NOT NULL REFERENCES voucher_batches(id),
        serial text NOT NULL CHECK (serial ~ '^V[0-9]{8}$'),
        code_hash text NOT NULL,
        face_value numeric(15,2) NOT NULL CHECK (face_value > 0),
        redeemed_at timestamptz,
        redeemed_outlet_id uuid REFERENCES outlets(id),
        redeem_entry_id uuid REFERENCES journal_entries(id),
        CONSTRAINT uq_vouchers_serial UNIQUE (caisse_id, serial),
        CHECK ((redeemed_at IS NULL) = (redeem_entry_id IS NULL))
      );
      CREATE INDEX ix_vouchers_outstanding ON vouchers (caisse_id, serial) WHERE redeemed_at IS NULL;

      -- Append-only like the ledger they mirror.
      CREATE FUNCTION purchases_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END $$;
      CREATE TRIGGER trg_purchases_append_only BEFORE UPDATE OR DELETE ON purchases FOR EACH ROW EXECUTE FUNCTION purchases_append_only();
      CREATE TRIGGER trg_purchase_refunds_append_only BEFORE UPDATE OR DELETE ON purchase_refunds FOR EACH ROW EXECUTE FUNCTION purchases_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE vouchers; DROP TABLE voucher_counters; DROP TABLE voucher_batches;
      DROP TABLE purchase_refunds; DROP TABLE purchases; DROP FUNCTION purchases_append_only();
      DROP TABLE purchase_receipt_counters; DROP TABLE purchase_settings;
    `);
  }
}
