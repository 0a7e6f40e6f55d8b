import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members, their cards and the enrolment draws. The database holds the rules a volunteer must not be able to break by
 * hand: valid card numbers (Luhn), one active card per member, a blocked card never coming back, an active member always
 * having a wallet, an erased member holding no personal data, and a published draw that can no longer change.
 */
export class Members1764300000000 implements MigrationInterface {
  name = 'Members1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION card_number_luhn_valid(n text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN n !~ '^[0-9]{16}$' THEN false ELSE (
          SELECT sum(CASE WHEN (16 - i) % 2 = 1 THEN (CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END) ELSE d END) % 10 = 0
            FROM (SELECT i, substr(n, i, 1)::int AS d FROM generate_series(1, 16) AS i) digits) END
      $$;

      -- Per-caisse pseudonymous numbers (M00000042): the only member identifier the ledger and published draws see.
      CREATE TABLE member_counters (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        last_number integer NOT NULL CHECK (last_number BETWEEN 0 AND 99999999)
      );

      CREATE TABLE members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        number integer NOT NULL CHECK (number BETWEEN 1 AND 99999999),
        pseudonym text GENERATED ALWAYS AS ('M' || lpad(number::text, 8, '0')) STORED,
        first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
        last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
        birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100),
        commune text NOT NULL CHECK (commune ~ '^([0-9]{5}|2[AB][0-9]{3})$'),
        email text CHECK (email = lower(email) AND position('@' in email) > 1 AND length(email) <= 254),
        phone text CHECK (length(phone) <= 30),
        address text CHECK (length(address) <= 300),
        status text NOT NULL CHECK (status IN ('applicant', 'waitlisted', 'active', 'suspended', 'left')),
        joined_on date NOT NULL,
        adults smallint NOT NULL CHECK (adults BETWEEN 1 AND 20),
        children_birth_years smallint[] NOT NULL DEFAULT '{}'
          CHECK (cardinality(children_birth_years) <= 20 AND 1900 <= ALL (children_birth_years) AND 2100 >= ALL (children_birth_years)),
        monthly_income numeric(15,2) CHECK (monthly_income >= 0),
        income_declared_on date,
        consent_data_processing boolean NOT NULL DEFAULT false,
        consent_contact boolean NOT NULL DEFAULT false,
        consent_research boolean NOT NULL DEFAULT false,
        consents_updated_at timestamptz,
        user_id uuid REFERENCES users(id),
        wallet_account text,
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_members_number UNIQUE (caisse_id, number),
        CONSTRAINT uq_members_id_caisse UNIQUE (id, caisse_id),
        CONSTRAINT uq_members_user UNIQUE (caisse_id, user_id),
        CONSTRAINT ck_members_income_dated CHECK (monthly_income IS NULL OR income_declared_on IS NOT NULL),
        CONSTRAINT ck_members_active_wallet CHECK (status <> 'active' OR wallet_account IS NOT NULL),
        CONSTRAINT ck_members_erased CHECK (erased_at IS NULL OR (
          email IS NULL AND phone IS NULL AND address IS NULL AND monthly_income IS NULL AND income_declared_on IS NULL
          AND birth_year IS NULL AND user_id IS NULL AND cardinality(children_birth_years) = 0 AND status = 'left'))
      );
      CREATE UNIQUE INDEX uq_members_email ON members (caisse_id, email) WHERE email IS NOT NULL;
      CREATE INDEX ix_members_caisse_status ON members (caisse_id, status, number);

      CREATE TABLE member_status_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        caisse_id uuid NOT NULL,
        member_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('applicant', 'waitlisted', 'active', 'suspended', 'left')),
        effective_on date NOT NULL,
        reason text CHECK (length(reason) BETWEEN 1 AND 300),
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT fk_member_status_history_member FOREIGN KEY (member_id, caisse_id) REFERENCES members (id, caisse_id)
      );
      CREATE INDEX ix_member_status_history_member ON member_status_history (member_id, effective_on, id);

      -- History is kept; only a free-text reason may be blanked (erasure), never a status or a date.
      CREATE FUNCTION member_status_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.reason IS NOT NULL OR (NEW.id, NEW.caisse_id, NEW.member_id, NEW.status, NEW.effective_on, NEW.recorded_at)
             IS DISTINCT FROM (OLD.id, OLD.caisse_id, OLD.member_id, OLD.status, OLD.effective_on, OLD.recorded_at) THEN
          RAISE EXCEPTION 'member_status_history is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_member_status_history_guard BEFORE UPDATE OR DELETE ON member_status_history
        FOR EACH ROW EXECUTE FUNCTION member_status_history_guard();

      CREATE TABLE member_cards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL,
        member_id uuid NOT NULL,
        card_number char(16) NOT NULL CONSTRAINT ck_member_cards_luhn CHECK (card_number_luhn_valid(card_number)),
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'blocked', 'replaced')),
        pin_hash text,
        pin_attempts smallint NOT NULL DEFAULT 0 CHECK (pin_attempts BETWEEN 0 AND 100),
        locked_at timestamptz,
        issued_at timestamptz NOT NULL DEFAULT now(),
        blocked_at timestamptz,
        block_reason text CHECK (length(block_reason) BETWEEN 1 AND 200),
        replaced_by uuid REFERENCES member_cards(id),
        CONSTRAINT fk_member_cards_member FOREIGN KEY (member_id, caisse_id) REFERENCES members (id, caisse_id),
        CONSTRAINT uq_member_cards_number UNIQUE (caisse_id, card_number),
        CONSTRAINT ck_member_cards_blocked CHECK ((state = 'active') = (blocked_at IS NULL))
      );
      CREATE UNIQUE INDEX uq_member_cards_one_active ON member_cards (member_id) WHERE state = 'active';

      -- A card number never changes and a blocked or replaced card never becomes usable again.
      CREATE FUNCTION member_cards_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.card_number <> OLD.card_number OR NEW.member_id <> OLD.member_id
           OR (OLD.state <> 'active' AND NEW.state = 'active') THEN
          RAISE EXCEPTION 'member card %: % refused', OLD.id, TG_OP USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_member_cards_forward BEFORE UPDATE OR DELETE ON member_cards
        FOR EACH ROW EXECUTE FUNCTION member_cards_forward();

      CREATE TABLE enrolment_draws (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        algorithm text NOT NULL,
        seats integer NOT NULL CHECK (seats > 0),
        spec jsonb NOT NULL CHECK (spec ? 'quotas' AND spec ? 'strata'),
        derivation jsonb NOT NULL,
        pool_size integer NOT NULL,
        pool_hash char(64) NOT NULL CHECK (pool_hash ~ '^[0-9a-f]{64}$'),
        quotas_hash char(64) NOT NULL CHECK (quotas_hash ~ '^[0-9a-f]{64}$'),
        randomness_description text NOT NULL CHECK (length(randomness_description) BETWEEN 1 AND 500),
        randomness_parties smallint NOT NULL CHECK (randomness_parties BETWEEN 1 AND 20),
        randomness_commitments text[] NOT NULL DEFAULT '{}'
          CHECK (cardinality(randomness_commitments) IN (0, randomness_parties)),
        randomness_available_after timestamptz,
        status text NOT NULL CHECK (status IN ('committed', 'drawn')),
        randomness_values text[],
        randomness char(64),
        seed char(64),
        created_by text,
        committed_at timestamptz NOT NULL DEFAULT now(),
        drawn_at timestamptz,
        CONSTRAINT uq_enrolment_draws_id_caisse UNIQUE (id, caisse_id),
        CONSTRAINT ck_enrolment_draws_pool CHECK (pool_size >= seats),
        CONSTRAINT ck_enrolment_draws_state CHECK (
          (status = 'committed' AND randomness_values IS NULL AND randomness IS NULL AND seed IS NULL AND drawn_at IS NULL)
          OR (status = 'drawn' AND randomness_values IS NOT NULL AND randomness IS NOT NULL AND seed IS NOT NULL AND drawn_at IS NOT NULL))
      );
      CREATE INDEX ix_enrolment_draws_caisse ON enrolment_draws (caisse_id, committed_at DESC);

      -- What was published before the randomness existed can never change, and a drawn draw is final.
      CREATE FUNCTION enrolment_draws_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.status = 'drawn'
           OR (NEW.caisse_id, NEW.label, NEW.algorithm, NEW.seats, NEW.spec, NEW.derivation, NEW.pool_size, NEW.pool_hash, NEW.quotas_hash,
               NEW.randomness_description, NEW.randomness_parties, NEW.randomness_commitments, NEW.randomness_available_after, NEW.committed_at)
              IS DISTINCT FROM
              (OLD.caisse_id, OLD.label, OLD.algorithm, OLD.seats, OLD.spec, OLD.derivation, OLD.pool_size, OLD.pool_hash, OLD.quotas_hash,
               OLD.randomness_description, OLD.randomness_parties, OLD.randomness_commitments, OLD.randomness_available_after, OLD.committed_at) THEN
          RAISE EXCEPTION 'enrolment draw %: the published inputs and results cannot change', OLD.id USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_enrolment_draws_guard BEFORE UPDATE OR DELETE ON enrolment_draws
        FOR EACH ROW EXECUTE FUNCTION enrolment_draws_guard();

      CREATE TABLE enrolment_draw_entries (
        draw_id uuid NOT NULL,
        caisse_id uuid NOT NULL,
        pseudonym text NOT NULL,
        member_id uuid NOT NULL,
        stratum jsonb NOT NULL,
        outcome text CHECK (outcome IN ('selected', 'waitlist')),
        rank integer CHECK (rank > 0),
        promoted_at timestamptz,
        superseded_by uuid REFERENCES enrolment_draws(id),
        PRIMARY KEY (draw_id, pseudonym),
        CONSTRAINT uq_enrolment_draw_entries_member UNIQUE (draw_id, member_id),
        CONSTRAINT fk_enrolment_draw_entries_draw FOREIGN KEY (draw_id, caisse_id) REFERENCES enrolment_draws (id, caisse_id),
        CONSTRAINT fk_enrolment_draw_entries_member FOREIGN KEY (member_id, caisse_id) REFERENCES members (id, caisse_id),
        CONSTRAINT ck_enrolment_draw_entries_ranked CHECK ((outcome IS NULL) = (rank IS NULL)),
        CONSTRAINT ck_enrolment_draw_entries_promoted CHECK (promoted_at IS NULL OR outcome = 'waitlist')
      );
      CREATE UNIQUE INDEX uq_enrolment_draw_entries_rank ON enrolment_draw_entries (draw_id, outcome, rank) WHERE outcome IS NOT NULL;
      CREATE INDEX ix_enrolment_draw_entries_member ON enrolment_draw_entries (member_id);

      CREATE FUNCTION enrolment_draw_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           OR (NEW.draw_id, NEW.caisse_id, NEW.pseudonym, NEW.member_id, NEW.stratum) IS DISTINCT FROM (OLD.draw_id, OLD.caisse_id, OLD.pseudonym, OLD.member_id, OLD.stratum)
           OR (OLD.outcome IS NOT NULL AND (NEW.outcome, NEW.rank) IS DISTINCT FROM (OLD.outcome, OLD.rank))
           OR (OLD.promoted_at IS NOT NULL AND NEW.promoted_at IS DISTINCT FROM OLD.promoted_at) THEN
          RAISE EXCEPTION 'enrolment draw entry %/%: % refused', OLD.draw_id, OLD.pseudonym, TG_OP USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_enrolment_draw_entries_guard BEFORE UPDATE OR DELETE ON enrolment_draw_entries
        FOR EACH ROW EXECUTE FUNCTION enrolment_draw_entries_guard();

      -- Members logged in with card and PIN act under their own name in the audit log.
      ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check,
        ADD CONSTRAINT ck_audit_log_actor_kind CHECK (actor_kind IN ('user', 'terminal', 'system', 'member'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log DROP CONSTRAINT ck_audit_log_actor_kind,
        ADD CONSTRAINT audit_log_actor_kind_check CHECK (actor_kind IN ('user', 'terminal', 'system'));
      DROP TABLE enrolment_draw_entries, enrolment_draws, member_cards, member_status_history, members, member_counters;
      DROP FUNCTION enrolment_draw_entries_guard(), enrolment_draws_guard(), member_cards_forward(),
        member_status_history_guard(), card_number_luhn_valid(text);
    `);
  }
}
