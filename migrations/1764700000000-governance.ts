import type { MigrationInterface, QueryRunner } from 'typeorm';

const SUBJECTS = `'conventionnement','renewal','suspension','revocation','reinstatement','motion'`;
const METHODS = `'consensus','consent','simple-majority','absolute-majority','qualified-majority','approval','majority-judgment'`;

/**
 * Governance: committee mandates and conflicts of interest, decisions with their frozen electorate, participation
 * and ballots, rulings on objections, the hash-chained public log and committee sortition. Secret ballots live in
 * their own table with nothing that joins back to participation: no voter column, no timestamp, no sequence, a
 * random id only.
 */
export class Governance1764700000000 implements MigrationInterface {
  name = 'Governance1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE committee_mandates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid NOT NULL,
        designation text NOT NULL CHECK (designation IN ('volunteer','drawn','elected')),
        position text NOT NULL CHECK (length(position) BETWEEN 2 AND 80),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        -- Renewal by thirds: the cohort (1, 2 or 3) whose seats end together.
        cohort smallint CHECK (cohort BETWEEN 1 AND 3),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_mandates_dates CHECK (ends_on > starts_on),
        CONSTRAINT fk_mandates_member FOREIGN KEY (member_id, caisse_id) REFERENCES members (id, caisse_id)
      );
      CREATE INDEX ix_mandates_caisse ON committee_mandates (caisse_id, starts_on, ends_on);

      CREATE TABLE conflict_declarations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        member_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        nature text NOT NULL CHECK (nature IN ('runs','works-at','related','supplier','other')),
        note text CHECK (length(note) BETWEEN 1 AND 500),
        declared_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_conflicts_member FOREIGN KEY (member_id, caisse_id) REFERENCES members (id, caisse_id),
        CONSTRAINT fk_conflicts_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT uq_conflicts UNIQUE (member_id, outlet_id)
      );

      CREATE TABLE decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
        subject text NOT NULL CHECK (subject IN (${SUBJECTS})),
        outlet_id uuid,
        method jsonb NOT NULL CHECK (method->>'kind' IN (${METHODS})),
        quorum jsonb NOT NULL,
        secret boolean NOT NULL,
        min_published_count smallint NOT NULL DEFAULT 3 CHECK (min_published_count BETWEEN 1 AND 20),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        effective_at timestamptz,
        review_on date,
        valid_until date,
        reply_deadline timestamptz,
        reply text CHECK (length(reply) BETWEEN 1 AND 5000),
        reply_recorded_at timestamptz,
        fallback text[] NOT NULL DEFAULT '{}',
        parent_id uuid REFERENCES decisions(id),
        frozen_at timestamptz,
        closed_at timestamptz,
        outcome text CHECK (outcome IN ('adopted','rejected','no-decision')),
        tally jsonb,
        consensus jsonb,
        transition_id uuid,
        -- Why an adopted decision could not move its outlet (the outlet had moved meanwhile), when it could not.
        consequence_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_decisions_window CHECK (closes_at > opens_at),
        CONSTRAINT ck_decisions_outlet CHECK ((subject = 'motion') = (outlet_id IS NULL)),
        CONSTRAINT ck_decisions_closed CHECK ((closed_at IS NULL) = (outcome IS NULL) AND (closed_at IS NULL) = (tally IS NULL)),
        CONSTRAINT ck_decisions_secret_consent CHECK (NOT (secret AND method->>'kind' IN ('consent','consensus'))),
        CONSTRAINT fk_decisions_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id)
      );
      CREATE INDEX ix_decisions_caisse ON decisions (caisse_id, closes_at);

      -- Frozen when the decision opens; a recused member stays listed with the reason, outside E.
      CREATE TABLE decision_electorate (
        decision_id uuid NOT NULL REFERENCES decisions(id),
        member_id uuid NOT NULL,
        user_id uuid,
        recusal text CHECK (length(recusal) BETWEEN 1 AND 500),
        PRIMARY KEY (decision_id, member_id)
      );
      CREATE TRIGGER trg_decision_electorate_frozen BEFORE UPDATE OR DELETE ON decision_electorate
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Who took part: the primary key refuses a second ballot, whatever the concurrency. Open ballots keep their
      -- content here; secret ones keep none, and no time, so nothing joins with secret_ballots.
      CREATE TABLE decision_participation (
        decision_id uuid NOT NULL,
        member_id uuid NOT NULL,
        secret boolean NOT NULL,
        open_ballot jsonb,
        cast_at timestamptz,
        PRIMARY KEY (decision_id, member_id),
        CONSTRAINT fk_participation_elector FOREIGN KEY (decision_id, member_id) REFERENCES decision_electorate (decision_id, member_id),
        CONSTRAINT ck_participation_secret CHECK (CASE WHEN secret THEN open_ballot IS NULL AND cast_at IS NULL ELSE open_ballot IS NOT NULL AND cast_at IS NOT NULL END)
      );

      -- While a secret decision is open, each ballot (receipt + content) is sealed with a key the database does not
      -- hold; at close the seals are opened and the ballots rewritten below in random order, in one transaction.
      CREATE TABLE sealed_ballots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES decisions(id),
        sealed bytea NOT NULL CHECK (length(sealed) BETWEEN 29 AND 20000)
      );
      CREATE TRIGGER trg_sealed_ballots_no_update BEFORE UPDATE ON sealed_ballots
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE secret_ballots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES decisions(id),
        receipt text NOT NULL CHECK (receipt ~ '^[A-Z2-9]{12}$'),
        content jsonb NOT NULL,
        CONSTRAINT uq_secret_ballots_receipt UNIQUE (decision_id, receipt)
      );
      CREATE TRIGGER trg_secret_ballots_append_only BEFORE UPDATE OR DELETE ON secret_ballots
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE decision_rulings (
        decision_id uuid NOT NULL REFERENCES decisions(id),
        objection_ref text NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 3 AND 2000),
        ruled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (decision_id, objection_ref)
      );
      CREATE TRIGGER trg_decision_rulings_append_only BEFORE UPDATE OR DELETE ON decision_rulings
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE governance_log (
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        seq integer NOT NULL CHECK (seq > 0),
        kind text NOT NULL CHECK (kind ~ '^[a-z]+(\\.[a-z-]+)+$'),
        payload jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash char(64) NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash char(64) NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (caisse_id, seq)
      );
      CREATE TRIGGER trg_governance_log_append_only BEFORE UPDATE OR DELETE ON governance_log
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Committee sortition (common/sortition, as the enrolment lottery): the published document is frozen at
      -- commit; only the outcome (randomness, seed, result) is written, once.
      CREATE TABLE committee_draws (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        committed jsonb NOT NULL,
        terms jsonb NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now(),
        outcome jsonb,
        drawn_at timestamptz,
        CONSTRAINT ck_committee_draws_state CHECK ((outcome IS NULL) = (drawn_at IS NULL))
      );
      CREATE TABLE committee_draw_entries (
        draw_id uuid NOT NULL REFERENCES committee_draws(id),
        pseudonym text NOT NULL,
        member_id uuid NOT NULL REFERENCES members(id),
        PRIMARY KEY (draw_id, pseudonym)
      );
      CREATE FUNCTION committee_draws_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.outcome IS NOT NULL
           OR (NEW.caisse_id, NEW.label, NEW.committed, NEW.terms, NEW.committed_at) IS DISTINCT FROM (OLD.caisse_id, OLD.label, OLD.committed, OLD.terms, OLD.committed_at) THEN
          RAISE EXCEPTION 'committee_draws: a committed draw is frozen and a drawn one final' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_committee_draws_guard BEFORE UPDATE OR DELETE ON committee_draws FOR EACH ROW EXECUTE FUNCTION committee_draws_guard();
      CREATE TRIGGER trg_committee_draw_entries_frozen BEFORE UPDATE OR DELETE ON committee_draw_entries
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE committee_draw_entries; DROP TABLE committee_draws; DROP FUNCTION committee_draws_guard();
      DROP TABLE governance_log; DROP TABLE decision_rulings; DROP TABLE secret_ballots; DROP TABLE sealed_ballots; DROP TABLE decision_participation;
      DROP TABLE decision_electorate; DROP TABLE decisions; DROP TABLE conflict_declarations; DROP TABLE committee_mandates;
    `);
  }
}
