import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764100000000 implements MigrationInterface {
  name = 'Foundation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION forbid_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
      END $$;

      CREATE TABLE caisses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        territory text[] NOT NULL DEFAULT '{}',
        currency char(3) NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
        unit_label text NOT NULL DEFAULT '€' CHECK (length(unit_label) BETWEEN 1 AND 12),
        siren char(9) CHECK (siren ~ '^[0-9]{9}$'),
        fiscal_year_start_month smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_caisses_slug UNIQUE (slug)
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
        password_hash text NOT NULL,
        platform_admin boolean NOT NULL DEFAULT false,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_email UNIQUE (email)
      );

      CREATE TABLE user_roles (
        user_id uuid NOT NULL REFERENCES users(id),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        role text NOT NULL CHECK (role IN ('admin','treasurer','committee','cashier','member')),
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, caisse_id, role)
      );
      CREATE INDEX ix_user_roles_caisse ON user_roles (caisse_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        outlet_id uuid,
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
        prefix text NOT NULL,
        secret_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix)
      );
      CREATE INDEX ix_api_keys_caisse ON api_keys (caisse_id);

      CREATE TABLE caisse_rule_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caisse_id uuid NOT NULL REFERENCES caisses(id),
        effective_from date NOT NULL,
        allocation jsonb NOT NULL CHECK (allocation ? 'formula'),
        contribution jsonb NOT NULL CHECK (contribution ? 'rule'),
        rollover jsonb NOT NULL CHECK (rollover ? 'mode'),
        gate jsonb NOT NULL CHECK (gate ? 'requireContribution'),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_rule_versions_effective UNIQUE (caisse_id, effective_from)
      );
      CREATE TRIGGER trg_rule_versions_immutable BEFORE UPDATE OR DELETE ON caisse_rule_versions
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        caisse_id uuid,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user','terminal','system')),
        actor_id text,
        role text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        request_id text,
        before jsonb,
        after jsonb
      );
      CREATE INDEX ix_audit_log_caisse_id ON audit_log (caisse_id, id DESC);
      CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER trg_audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE idempotency_keys (
        caisse_id uuid NOT NULL,
        scope text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_hash char(64) NOT NULL,
        response_status smallint NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caisse_id, scope, key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE idempotency_keys; DROP TABLE audit_log; DROP TABLE caisse_rule_versions; DROP TABLE api_keys;
      DROP TABLE user_roles; DROP TABLE users; DROP TABLE caisses; DROP FUNCTION forbid_mutation();
    `);
  }
}
