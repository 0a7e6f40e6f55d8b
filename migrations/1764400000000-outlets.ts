import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'candidate','dossier-complete','conventionne','renewal-due','suspended','revoked','withdrawn','expired'`;
const KINDS = `'producer','producers-shop','grocery','epicerie-solidaire','amap','market-stall','mobile-grocery','locker','restaurant-canteen','other'`;
const INSEE = `'^([0-9]{5}|2[AB][0-9]{3})$'`;
const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$'`;

/**
 * Outlets (producers and points of sale), their conventionnement history, places and hours, criteria and evidence,
 * coverage rates and staff. The history that gates payments is append-only and must continue from its last step,
 * which the database checks itself; versioned catalogues and rates are immutable like the caisse's rule versions.
 */
export class Outlets1764400000000 implements MigrationInterface {
  name = 'Outlets1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outlet_counters (
        caisse_id uuid PRIMARY KEY REFERENCES caisses(id),
        last_no integer NOT NULL CHECK (last_no BETWEEN 1 AND 99999999)
      );

      CREATE TABLE outlets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        code text NOT NULL CHECK (code ~ '^O[0-9]{8}$'),
        legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 2 AND 200),
        name text NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
        siret char(14) NOT NULL CHECK (siret ~ '^[0-9]{14}$'),
        siren char(9) GENERATED ALWAYS AS (left(siret, 9)) STORED,
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        labels text[] NOT NULL DEFAULT '{}' CHECK (labels <@ ARRAY['ab','nature-et-progres','demeter','hve']::text[]),
        address text CHECK (length(address) BETWEEN 1 AND 200),
        postcode char(5) CHECK (postcode ~ '^[0-9]{5}$'),
        commune text NOT NULL CHECK (commune ~ ${INSEE}),
        commune_name text CHECK (length(commune_name) BETWEEN 1 AND 120),
        iban text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
        bic text CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
        contact_name text CHECK (length(contact_name) BETWEEN 1 AND 120),
        contact_email text CHECK (length(contact_email) BETWEEN 3 AND 254 AND position('@' in contact_email) > 1),
        contact_phone text CHECK (contact_phone ~ '^\\+?[0-9 .()-]{6,20}$'),
        account_code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outlets_code UNIQUE (caisse_id, code),
        CONSTRAINT uq_outlets_siret UNIQUE (caisse_id, siret),
        CONSTRAINT uq_outlets_id_caisse UNIQUE (id, caisse_id),
        -- The payable account 401-<code> exists before the outlet row: payouts can always find it.
        CONSTRAINT fk_outlets_account FOREIGN KEY (caisse_id, account_code) REFERENCES ledger_accounts (caisse_id, code)
      );

      CREATE TABLE outlet_transitions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        from_status text CHECK (from_status IN (${STATUSES})),
        to_status text NOT NULL CHECK (to_status IN (${STATUSES})),
        effective_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_kind text NOT NULL CHECK (actor_kind IN ('user','terminal','system')),
        actor_id text,
        reason text NOT NULL CHECK (length(reason) BETWEEN 3 AND 2000),
        decision_id uuid,
        decision_ref text CHECK (length(decision_ref) BETWEEN 1 AND 200),
        decision_minutes text CHECK (length(decision_minutes) BETWEEN 1 AND 20000),
        review_on date,
        valid_until date,
        CONSTRAINT fk_outlet_transitions_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT uq_outlet_transitions_seq UNIQUE (outlet_id, seq),
        CONSTRAINT ck_outlet_transitions_first CHECK ((seq = 1) = (from_status IS NULL)),
        CONSTRAINT ck_outlet_transitions_minutes CHECK (decision_ref IS NULL OR decision_minutes IS NOT NULL),
        CONSTRAINT ck_outlet_transitions_terms CHECK (valid_until IS NULL OR review_on IS NULL OR valid_until >= review_on),
        -- A conventionnement always has a review date: the daily job flags it before it falls due.
        CONSTRAINT ck_outlet_transitions_accepting_terms CHECK (to_status NOT IN ('conventionne','renewal-due') OR review_on IS NOT NULL)
      );
      -- The gate: the last step effective at an instant, one index probe per purchase.
      CREATE INDEX ix_outlet_transitions_effective ON outlet_transitions (outlet_id, effective_at DESC, seq DESC);
      CREATE TRIGGER trg_outlet_transitions_append_only BEFORE UPDATE OR DELETE ON outlet_transitions
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE FUNCTION outlet_transitions_continue() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE prev record;
      BEGIN
        SELECT seq, to_status, effective_at INTO prev FROM outlet_transitions WHERE outlet_id = NEW.outlet_id ORDER BY seq DESC LIMIT 1;
        IF (prev IS NULL AND NEW.seq <> 1) OR (prev IS NOT NULL AND (
             NEW.seq <> prev.seq + 1 OR NEW.from_status IS DISTINCT FROM prev.to_status OR NEW.effective_at < prev.effective_at)) THEN
          RAISE EXCEPTION 'outlet % history must continue from its last transition', NEW.outlet_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_outlet_transitions_continue';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER trg_outlet_transitions_continue BEFORE INSERT ON outlet_transitions
        FOR EACH ROW EXECUTE FUNCTION outlet_transitions_continue();

      CREATE TABLE outlet_places (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('shop','market','stop','locker','pickup')),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
        address text CHECK (length(address) BETWEEN 1 AND 200),
        commune text NOT NULL CHECK (commune ~ ${INSEE}),
        commune_name text CHECK (length(commune_name) BETWEEN 1 AND 120),
        always_open boolean NOT NULL DEFAULT false,
        access_notes text CHECK (length(access_notes) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        CONSTRAINT fk_outlet_places_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id)
      );
      CREATE INDEX ix_outlet_places_outlet ON outlet_places (outlet_id) WHERE archived_at IS NULL;
      CREATE INDEX ix_outlet_places_commune ON outlet_places (caisse_id, commune) WHERE archived_at IS NULL;

      CREATE TABLE outlet_place_hours (
        place_id uuid NOT NULL REFERENCES outlet_places(id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        opens time NOT NULL,
        closes time NOT NULL,
        PRIMARY KEY (place_id, weekday, opens),
        CONSTRAINT ck_outlet_place_hours_order CHECK (closes > opens)
      );

      CREATE TABLE outlet_staff (
        outlet_id uuid NOT NULL,
        caisse_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL DEFAULT 'cashier' CHECK (role = 'cashier'),
        added_by uuid,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (outlet_id, user_id),
        CONSTRAINT fk_outlet_staff_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        -- Only a cashier of the same caisse can be attached; losing the role detaches them.
        CONSTRAINT fk_outlet_staff_cashier FOREIGN KEY (user_id, caisse_id, role) REFERENCES user_roles (user_id, caisse_id, role) ON DELETE CASCADE
      );
      CREATE INDEX ix_outlet_staff_user ON outlet_staff (user_id, caisse_id);

      CREATE TABLE outlet_criteria_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        version integer NOT NULL CHECK (version > 0),
        effective_from date NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outlet_criteria_versions_no UNIQUE (caisse_id, version),
        CONSTRAINT uq_outlet_criteria_versions_effective UNIQUE (caisse_id, effective_from)
      );
      CREATE TABLE outlet_criteria (
        version_id uuid NOT NULL REFERENCES outlet_criteria_versions(id),
        code text NOT NULL CHECK (length(code) <= 60 AND code ~ ${SLUG}),
        position smallint NOT NULL CHECK (position >= 0),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        description text CHECK (length(description) BETWEEN 1 AND 2000),
        evidence_required boolean NOT NULL DEFAULT false,
        PRIMARY KEY (version_id, code),
        CONSTRAINT uq_outlet_criteria_position UNIQUE (version_id, position)
      );
      CREATE TRIGGER trg_outlet_criteria_versions_immutable BEFORE UPDATE OR DELETE ON outlet_criteria_versions
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_outlet_criteria_immutable BEFORE UPDATE OR DELETE ON outlet_criteria
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE outlet_criterion_answers (
        outlet_id uuid NOT NULL,
        caisse_id uuid NOT NULL,
        criterion_code text NOT NULL,
        version_id uuid NOT NULL,
        answer text NOT NULL CHECK (answer IN ('yes','partly','no','not-applicable')),
        comment text CHECK (length(comment) BETWEEN 1 AND 2000),
        answered_by uuid,
        answered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (outlet_id, criterion_code),
        CONSTRAINT fk_outlet_criterion_answers_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT fk_outlet_criterion_answers_criterion FOREIGN KEY (version_id, criterion_code) REFERENCES outlet_criteria (version_id, code)
      );

      CREATE TABLE outlet_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        criterion_code text NOT NULL CHECK (length(criterion_code) <= 60 AND criterion_code ~ ${SLUG}),
        issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
        reference text CHECK (length(reference) BETWEEN 1 AND 200),
        issued_on date,
        valid_until date,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        media_type text NOT NULL CHECK (media_type IN ('application/pdf','image/png','image/jpeg')),
        size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 2097152),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid,
        uploaded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expiry_flagged_at timestamptz,
        CONSTRAINT fk_outlet_evidence_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT ck_outlet_evidence_dates CHECK (valid_until IS NULL OR issued_on IS NULL OR valid_until >= issued_on)
      );
      CREATE INDEX ix_outlet_evidence_outlet ON outlet_evidence (outlet_id, criterion_code, uploaded_at DESC);
      CREATE INDEX ix_outlet_evidence_valid_until ON outlet_evidence (caisse_id, valid_until) WHERE valid_until IS NOT NULL;

      -- Kept apart so listings never drag the files along; the database checks the checksum itself.
      CREATE TABLE outlet_evidence_files (
        evidence_id uuid PRIMARY KEY REFERENCES outlet_evidence(id),
        sha256 char(64) NOT NULL,
        content bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 2097152),
        CONSTRAINT ck_outlet_evidence_files_checksum CHECK (sha256 = encode(sha256(content), 'hex'))
      );
      CREATE TRIGGER trg_outlet_evidence_files_immutable BEFORE UPDATE OR DELETE ON outlet_evidence_files
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE outlet_coverage_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL,
        outlet_id uuid NOT NULL,
        effective_from date NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_outlet_coverage_versions_outlet FOREIGN KEY (outlet_id, caisse_id) REFERENCES outlets (id, caisse_id),
        CONSTRAINT uq_outlet_coverage_versions_effective UNIQUE (outlet_id, effective_from)
      );
      CREATE TABLE outlet_coverage_rates (
        version_id uuid NOT NULL REFERENCES outlet_coverage_versions(id),
        category text NOT NULL CHECK (category = '*' OR (length(category) <= 60 AND category ~ ${SLUG})),
        rate numeric(5,4) NOT NULL CHECK (rate >= 0 AND rate <= 1),
        PRIMARY KEY (version_id, category)
      );
      CREATE TRIGGER trg_outlet_coverage_versions_immutable BEFORE UPDATE OR DELETE ON outlet_coverage_versions
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_outlet_coverage_rates_immutable BEFORE UPDATE OR DELETE ON outlet_coverage_rates
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
      CREATE INDEX ix_api_keys_outlet ON api_keys (outlet_id) WHERE outlet_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX ix_api_keys_outlet; ALTER TABLE api_keys DROP COLUMN last_used_at;
      DROP TABLE outlet_coverage_rates; DROP TABLE outlet_coverage_versions;
      DROP TABLE outlet_evidence_files; DROP TABLE outlet_evidence; DROP TABLE outlet_criterion_answers;
      DROP TABLE outlet_criteria; DROP TABLE outlet_criteria_versions; DROP TABLE outlet_staff;
      DROP TABLE outlet_place_hours; DROP TABLE outlet_places;
      DROP TABLE outlet_transitions; DROP FUNCTION outlet_transitions_continue();
      DROP TABLE outlets; DROP TABLE outlet_counters;
    `);
  }
}
