import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Unauthorized } from '../common/errors/domain-error.js';
import type { AuthConfig, JwtKey } from '../config/index.js';

const ALGORITHM = 'HS256';
/** Clock drift allowed between instances for `iat`, `nbf` and `exp`. */
const SKEW_SECONDS = 30;

export function durationSeconds(duration: string): number {
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

const invalid = () => new Unauthorized('The access token is not valid.', 'INVALID_TOKEN');

/**
 * Signs with the current key and verifies with the key the token names (`kid`), so a secret can be rotated
 * without logging everyone out: the old one stays in JWT_PREVIOUS_SECRETS until its tokens have expired.
 * The algorithm is pinned and `exp`/`iat` are required, so a token we could not have issued is refused even
 * when it is signed with one of our secrets.
 */
@Injectable()
export class JwtKeyring {
  private readonly current: JwtKey;
  private readonly byKid: Map<string, JwtKey>;
  private readonly lifetimeSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService,
  ) {
    const auth = config.getOrThrow<AuthConfig>('auth');
    this.current = auth.jwtKeys[0];
    this.byKid = new Map(auth.jwtKeys.map((k) => [k.kid, k]));
    this.lifetimeSeconds = durationSeconds(auth.jwtExpiresIn);
  }

  /** The staff token lifetime; shorter ones may be asked for, never longer (verify refuses those). */
  get maxLifetimeSeconds(): number {
    return this.lifetimeSeconds;
  }

  sign(claims: object, expiresInSeconds = this.lifetimeSeconds): Promise<string> {
    const expiresIn = Math.min(expiresInSeconds, this.lifetimeSeconds);
    return this.jwt.signAsync({ ...claims }, { secret: this.current.secret, algorithm: ALGORITHM, keyid: this.current.kid, expiresIn });
  }

  async verify<T extends object>(token: string): Promise<T & { exp: number; iat: number }> {
    let header: { alg?: unknown; kid?: unknown } | undefined;
    try {
      // A token whose parts are not JSON makes the decoder throw: that is an invalid token, not a server error.
      header = (this.jwt.decode(token, { complete: true }) as { header?: { alg?: unknown; kid?: unknown } } | null)?.header;
    } catch {
      throw invalid();
    }
    const key = header?.alg === ALGORITHM && typeof header.kid === 'string' ? this.byKid.get(header.kid) : undefined;
    if (!key) throw invalid();
    let claims: T & { exp?: unknown; iat?: unknown };
    try {
      claims = await this.jwt.verifyAsync(token, { secret: key.secret, algorithms: [ALGORITHM], clockTolerance: SKEW_SECONDS });
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw new Unauthorized('The access token has expired; log in again.', 'TOKEN_EXPIRED');
      throw invalid();
    }
    const { exp, iat } = claims;
    const now = Date.now() / 1000;
    // jsonwebtoken checks exp and nbf only when present; we issue both exp and iat, so a token without them is not ours.
    if (typeof exp !== 'number' || typeof iat !== 'number' || iat > now + SKEW_SECONDS || exp - iat > this.lifetimeSeconds) throw invalid();
    return claims as T & { exp: number; iat: number };
  }
}
