import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Allocation runs. The run and one line per member live here, not in the queue: Redis only drives the work, so
 * losing a job never loses what was credited. A line is `todo` until the transaction that posts its entries also
 * clears the flag; a resumed run picks up exactly the lines still to do (the ledger keys guard against the rest).
 */
export class Allocations1764800000000 implements MigrationInterface {
  name = 'Allocations1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE allocation_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        kind text NOT NULL CHECK (kind IN ('regular','dry-run')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','completed','failed','cancelled')),
        rule_version_id uuid,
        rules jsonb,
        fund text,
        days_in_period smallint CHECK (days_in_period BETWEEN 28 AND 31),
        -- Percentage every amount was paid at when funds were short and the rule said reduce (null: in full).
        reduction_percent numeric(7,4) CHECK (reduction_percent > 0 AND reduction_percent < 100),
        needed numeric(15,2) CHECK (needed >= 0),
        available numeric(15,2),
        total_lines integer NOT NULL DEFAULT 0 CHECK (total_lines >= 0),
        done_lines integer NOT NULL DEFAULT 0 CHECK (done_lines >= 0),
        credited_members integer NOT NULL DEFAULT 0 CHECK (credited_members >= 0),
        credited_amount numeric(15,2) NOT NULL DEFAULT 0 CHECK (credited_amount >= 0),
        expired_amount numeric(15,2) NOT NULL DEFAULT 0 CHECK (expired_amount >= 0),
        skipped_members integer NOT NULL DEFAULT 0 CHECK (skipped_members >= 0),
        catch_ups integer NOT NULL DEFAULT 0 CHECK (catch_ups >= 0),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        errors jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array'),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        planned_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_allocation_runs_period UNIQUE (caisse_id, period, kind),
        CONSTRAINT uq_allocation_runs_id_caisse UNIQUE (id, caisse_id),
        CONSTRAINT ck_allocation_runs_progress CHECK (done_lines <= total_lines),
        CONSTRAINT ck_allocation_runs_finished CHECK ((status IN ('completed','failed','cancelled')) = (finished_at IS NOT NULL))
      );
      CREATE INDEX ix_allocation_runs_unfinished ON allocation_runs (updated_at) WHERE status IN ('queued','running');

      CREATE TABLE allocation_run_lines (
        run_id uuid NOT NULL,
        caisse_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        member_id uuid NOT NULL,
        wallet_account text NOT NULL,
        status text NOT NULL CHECK (status IN ('planned','pending','credited','skipped-gate','zero','refused')),
        todo boolean NOT NULL,
        active_days smallint NOT NULL CHECK (active_days BETWEEN 1 AND 31),
        adults smallint NOT NULL CHECK (adults >= 0),
        children_under14 smallint NOT NULL CHECK (children_under14 >= 0),
        children_14_and_over smallint NOT NULL CHECK (children_14_and_over >= 0),
        contribution numeric(15,2) CHECK (contribution >= 0),
        -- The month's amount by the formula, before proration and reduction; the cap of the rollover counts in it.
        gross numeric(15,2) NOT NULL CHECK (gross >= 0),
        amount numeric(15,2) NOT NULL CHECK (amount >= 0 AND amount <= gross),
        expire_planned numeric(15,2) NOT NULL DEFAULT 0 CHECK (expire_planned >= 0),
        expiry_done boolean NOT NULL DEFAULT false,
        expired numeric(15,2) NOT NULL DEFAULT 0 CHECK (expired >= 0),
        entry_id uuid,
        expire_entry_id uuid,
        error text,
        posted_at timestamptz,
        PRIMARY KEY (run_id, seq),
        CONSTRAINT uq_allocation_run_lines_member UNIQUE (run_id, member_id),
        CONSTRAINT fk_allocation_run_lines_run FOREIGN KEY (run_id, caisse_id) REFERENCES allocation_runs (id, caisse_id) ON DELETE CASCADE,
        CONSTRAINT ck_allocation_run_lines_credited CHECK ((status = 'credited') = (entry_id IS NOT NULL))
      -- Every line is updated once when its chunk posts: room on the page keeps those updates HOT (no index writes). The
      -- worker finds its lines through the primary key from its high-water mark, so no index on todo is needed.
      ) WITH (fillfactor = 60);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE allocation_run_lines, allocation_runs`);
  }
}
