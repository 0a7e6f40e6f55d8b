import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { AuthConfig } from '../config/index.js';
import { Unauthorized } from '../common/errors/domain-error.js';
import type { CaisseRole, TerminalPrincipal, UserPrincipal } from '../common/request-context/principal.js';
import { ApiKeysService } from './api-keys.service.js';
import type { CreatedApiKeyDto } from './dto/api-key.dto.js';
import type { TokenDto } from './dto/login.dto.js';
import { User } from './entities/user.entity.js';
import { LoginThrottle } from './login-throttle.service.js';
import { dummyPasswordHash, generatePassword, hashPassword, verifyPassword } from './password.js';

interface AccessClaims {
  sub: string;
  typ: 'access';
}

/** Facade of the auth module: logins, tokens, terminal keys and the first platform admin. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly config: AuthConfig;

  constructor(
    private readonly txHost: TransactionHost,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
    private readonly apiKeys: ApiKeysService,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<AuthConfig>('auth');
  }

  async login(emailRaw: string, password: string, ip: string): Promise<TokenDto> {
    const email = emailRaw.trim().toLowerCase();
    await this.throttle.assertAllowed(email, ip);
    const user = await this.txHost.tx.getRepository(User).findOneBy({ email });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || user.disabledAt) {
      await this.throttle.recordFailure(email, ip);
      throw new Unauthorized('Wrong email or password.', 'INVALID_CREDENTIALS');
    }
    await this.throttle.recordSuccess(email);
    const claims: AccessClaims = { sub: user.id, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims);
    const { exp, iat } = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { accessToken, tokenType: 'Bearer', expiresIn: exp - iat };
  }

  /** Roles are read from the database on every request, so a revoked role stops working at once. */
  async authenticateBearer(token: string): Promise<UserPrincipal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token);
    } catch (e) {
      const expired = (e as Error).name === 'TokenExpiredError';
      throw new Unauthorized(expired ? 'The access token has expired; log in again.' : 'The access token is not valid.', expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN');
    }
    if (claims.typ !== 'access') throw new Unauthorized('The access token is not valid.', 'INVALID_TOKEN');
    const rows: { email: string; platform_admin: boolean; disabled_at: Date | null; caisse_id: string | null; role: CaisseRole | null }[] =
      await this.txHost.tx.query(
        `SELECT u.email, u.platform_admin, u.disabled_at, r.caisse_id, r.role
           FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = $1`,
        [claims.sub],
      );
    if (rows.length === 0 || rows[0].disabled_at) throw new Unauthorized('This account no longer exists or is disabled.', 'INVALID_TOKEN');
    const roles: Record<string, CaisseRole[]> = {};
    for (const r of rows) if (r.caisse_id && r.role) (roles[r.caisse_id] ??= []).push(r.role);
    return { kind: 'user', userId: claims.sub, email: rows[0].email, platformAdmin: rows[0].platform_admin, roles };
  }

  async authenticateApiKey(key: string): Promise<TerminalPrincipal> {
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw new Unauthorized('The API key is unknown or revoked.', 'INVALID_API_KEY');
    return principal;
  }

  /** For the outlets module: a terminal key bound to one outlet. */
  createTerminalKey(caisseId: string, label: string, outletId: string | null): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(caisseId, label, outletId);
  }

  /** On an empty database, the platform admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a password printed once. */
  @Transactional()
  async ensureFirstAdmin(): Promise<{ created: boolean; email: string; generatedPassword?: string }> {
    const tx = this.txHost.tx;
    // Two instances starting together must not both create an admin.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('caisse:first-admin'))`);
    const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM users`);
    if (count > 0) return { created: false, email: this.config.adminEmail };
    const generatedPassword = this.config.adminPassword ? undefined : generatePassword();
    const passwordHash = await hashPassword(this.config.adminPassword ?? generatedPassword!);
    await tx.getRepository(User).insert({ email: this.config.adminEmail, passwordHash, platformAdmin: true });
    if (generatedPassword) {
      this.logger.warn(
        `Created the platform admin ${this.config.adminEmail} with the generated password: ${generatedPassword} ` +
          '(shown only this once; set ADMIN_PASSWORD to choose it).',
      );
    } else {
      this.logger.log(`Created the platform admin ${this.config.adminEmail} from ADMIN_EMAIL/ADMIN_PASSWORD.`);
    }
    return { created: true, email: this.config.adminEmail, generatedPassword };
  }
}
