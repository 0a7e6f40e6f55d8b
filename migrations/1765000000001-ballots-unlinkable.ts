import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret ballots that cannot be joined back to their voter, and tie-breaks no voter can compute in advance.
 * - decision_participation.ballot_pending: a secret vote is written in three transactions (participation, ballot
 *   box, confirmation) so that no ballot shares an xmin with a participation or audit row; a participation left
 *   pending by a crash is resolved by counting (see governance/ballot-box.ts), never by a column naming the ballot.
 * - decisions.tie_break_*: a random nonce committed (SHA-256, logged) when the decision is created, sealed under the
 *   ballot secret, revealed at close and mixed into the majority-judgment tie-break seed.
 */
export class BallotsUnlinkable1765000000001 implements MigrationInterface {
  name = 'BallotsUnlinkable1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decision_participation ADD COLUMN ballot_pending boolean NOT NULL DEFAULT false;
      ALTER TABLE decision_participation ADD CONSTRAINT ck_participation_pending CHECK (secret OR NOT ballot_pending);
      ALTER TABLE decisions ADD COLUMN tie_break_commitment char(64) CHECK (tie_break_commitment ~ '^[0-9a-f]{64}$');
      ALTER TABLE decisions ADD COLUMN tie_break_sealed bytea CHECK (length(tie_break_sealed) BETWEEN 29 AND 500);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decisions DROP COLUMN tie_break_sealed, DROP COLUMN tie_break_commitment;
      ALTER TABLE decision_participation DROP CONSTRAINT ck_participation_pending, DROP COLUMN ballot_pending;
    `);
  }
}
