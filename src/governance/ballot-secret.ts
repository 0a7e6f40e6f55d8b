import { DomainError } from '../common/errors/domain-error.js';

export class BallotSecretMissing extends DomainError {
  constructor(why: string) {
    super('BALLOT_SECRET_MISSING', 503, `Secret ballots are unavailable: ${why}. Set BALLOT_SECRET (≥ 32 characters, kept off the database host).`);
  }
}

/**
 * The key material that seals secret ballots and tie-break nonces. It is its own variable, with no generated
 * default: a default would sit in DATA_DIR beside the database (as the generated JWT secret does), and whoever reads
 * the tables and that directory could open every ballot. Read per use, so an operator can set it without a rebuild.
 */
export function ballotSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.BALLOT_SECRET;
  if (!secret) throw new BallotSecretMissing('BALLOT_SECRET is not set');
  if (secret.length < 32) throw new BallotSecretMissing('BALLOT_SECRET is shorter than 32 characters');
  // The JWT secret may live in DATA_DIR/jwt-secret: reusing it would undo the separation.
  if (secret === env.JWT_SECRET) throw new BallotSecretMissing('BALLOT_SECRET must differ from JWT_SECRET');
  return secret;
}
