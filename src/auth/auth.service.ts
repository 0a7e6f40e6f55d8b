import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { AuthConfig } from '../config/index.js';
import { Unauthorized } from '../common/errors/domain-error.js';
import type { HttpRequest } from '../common/http/http-types.js';
import { type AccessRole, type CaisseRole, type MemberPrincipal, type Principal, rolesIn, type TerminalPrincipal, type UserPrincipal } from '../common/request-context/principal.js';
import { ApiKeysService } from './api-keys.service.js';
import type { CreatedApiKeyDto } from './dto/api-key.dto.js';
import type { TokenDto } from './dto/login.dto.js';
import { User } from './entities/user.entity.js';
import { JwtKeyring } from './jwt-keyring.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { generatePassword } from './password.js';
import { PasswordHasher } from './password-hasher.service.js';

interface AccessClaims {
  sub: string;
  typ: 'access';
}

/** A member's card+PIN session: the member, its caisse and the card used (so blocking the card ends the session). */
interface MemberClaims {
  sub: string;
  cid: string;
  crd?: string;
  typ: 'member';
}

export interface MemberTokenClaims {
  caisseId: string;
  memberId: string;
  cardId?: string;
}

/** Registered by the members module (auth never imports it): is this member session still allowed right now? */
export type MemberTokenCheck = (claims: MemberTokenClaims) => Promise<boolean>;

/** Registered by the caisses module (auth never imports it): does this caisse exist? */
export type CaisseLookup = (caisseId: string) => Promise<boolean>;

/** Registered by the web module (auth never imports it): the principal of the request's session cookie, if any. */
export type SessionAuthenticator = (req: HttpRequest) => Promise<Principal | undefined>;

/** Card+PIN sessions are shorter than staff ones: a shop's phone or a shared family phone may stay unlocked. */
const MEMBER_TOKEN_MAX_SECONDS = 600;

/** Facade of the auth module: logins, tokens, terminal keys and the first platform admin. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly config: AuthConfig;
  private memberTokenCheck: MemberTokenCheck | undefined;
  private caisseLookup: CaisseLookup | undefined;
  private sessionAuthenticator: SessionAuthenticator | undefined;

  constructor(
    private readonly txHost: TransactionHost,
    private readonly tokens: JwtKeyring,
    private readonly throttle: LoginThrottle,
    private readonly hasher: PasswordHasher,
    private readonly apiKeys: ApiKeysService,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<AuthConfig>('auth');
  }

  async login(emailRaw: string, password: string, ip: string): Promise<TokenDto> {
    const userId = await this.verifyCredentials(emailRaw, password, ip);
    const claims: AccessClaims = { sub: userId, typ: 'access' };
    const accessToken = await this.tokens.sign(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokens.maxLifetimeSeconds };
  }

  /**
   * Email and password checked under the login limiter; the user's id when they match. The API's token login and the
   * web's cookie login both go through here, so they share the same throttle, refusals and disabled-account rule.
   */
  async verifyCredentials(emailRaw: string, password: string, ip: string): Promise<string> {
    const email = emailRaw.trim().toLowerCase();
    // Reserved before anything costly, so a burst of concurrent guesses cannot outrun the count.
    const attempt = await this.throttle.reserve(email, ip);
    let user: User | null;
    let ok: boolean;
    try {
      user = await this.txHost.tx.getRepository(User).findOneBy({ email });
      ok = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyAgainstNothing(password);
    } catch (e) {
      await this.throttle.release(attempt);
      throw e;
    }
    // The failed attempt keeps its reservation: that is the failure being counted.
    if (!user || !ok || user.disabledAt) throw new Unauthorized('Wrong email or password.', 'INVALID_CREDENTIALS');
    await this.throttle.succeeded(attempt);
    return user.id;
  }

  /** The web module tells how to read its session cookie; tried only when a request carries no token nor key. */
  registerSessionAuthenticator(authenticator: SessionAuthenticator): void {
    this.sessionAuthenticator = authenticator;
  }

  /** The principal of a web session, or undefined when the request has none (the guard then answers 401). */
  authenticateSession(req: HttpRequest): Promise<Principal | undefined> {
    return this.sessionAuthenticator ? this.sessionAuthenticator(req) : Promise.resolve(undefined);
  }

  /** The caisses module tells how to check that a caisse exists; until it does, the platform admin sees none. */
  registerCaisseLookup(lookup: CaisseLookup): void {
    this.caisseLookup = lookup;
  }

  /**
   * The roles a principal holds in a caisse, none when the caisse does not exist: the platform admin acts as admin
   * everywhere, but only in caisses that are there (otherwise lists come back empty and checks pass on nothing).
   */
  async rolesInCaisse(principal: Principal, caisseId: string): Promise<AccessRole[]> {
    const held = rolesIn(principal, caisseId);
    const throughPlatform = principal.kind === 'user' && principal.platformAdmin && !principal.roles[caisseId]?.length;
    if (held.length > 0 && throughPlatform && !(await this.caisseLookup?.(caisseId))) return [];
    return held;
  }

  /** The members module tells how to check a member session; until it does, member tokens are refused. */
  registerMemberTokenCheck(check: MemberTokenCheck): void {
    this.memberTokenCheck = check;
  }

  /** A short-lived token for a member who proved card and PIN to the members module. */
  async issueMemberToken(caisseId: string, memberId: string, cardId?: string): Promise<TokenDto> {
    const expiresIn = Math.min(MEMBER_TOKEN_MAX_SECONDS, this.tokens.maxLifetimeSeconds);
    const claims: MemberClaims = { sub: memberId, cid: caisseId, ...(cardId ? { crd: cardId } : {}), typ: 'member' };
    const accessToken = await this.tokens.sign(claims, expiresIn);
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Roles are read from the database on every request, so a revoked role stops working at once; a member session is
   * checked the same way (a member who left or whose card was blocked is refused at once).
   */
  async authenticateBearer(token: string): Promise<UserPrincipal | MemberPrincipal> {
    const claims = await this.tokens.verify<AccessClaims | MemberClaims>(token);
    if (claims.typ === 'member') return this.memberPrincipal({ caisseId: claims.cid, memberId: claims.sub, cardId: claims.crd });
    if (claims.typ !== 'access') throw new Unauthorized('The access token is not valid.', 'INVALID_TOKEN');
    return this.userPrincipal(claims.sub);
  }

  /** A user's principal with the roles held right now (the same for a token and a web session). */
  async userPrincipal(userId: string): Promise<UserPrincipal> {
    const rows: { email: string; platform_admin: boolean; disabled_at: Date | null; caisse_id: string | null; role: CaisseRole | null }[] =
      await this.txHost.tx.query(
        `SELECT u.email, u.platform_admin, u.disabled_at, r.caisse_id, r.role
           FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = $1`,
        [userId],
      );
    if (rows.length === 0 || rows[0].disabled_at) throw new Unauthorized('This account no longer exists or is disabled.', 'INVALID_TOKEN');
    const roles: Record<string, CaisseRole[]> = {};
    for (const r of rows) if (r.caisse_id && r.role) (roles[r.caisse_id] ??= []).push(r.role);
    return { kind: 'user', userId, email: rows[0].email, platformAdmin: rows[0].platform_admin, roles };
  }

  /** A member's principal while the member is active and the card usable (the same for a token and a web session). */
  async memberPrincipal(subject: MemberTokenClaims): Promise<MemberPrincipal> {
    if (typeof subject.caisseId !== 'string' || typeof subject.memberId !== 'string' || !this.memberTokenCheck || !(await this.memberTokenCheck(subject))) {
      throw new Unauthorized('This member session is no longer valid; log in again with card and PIN.', 'INVALID_TOKEN');
    }
    return { kind: 'member', memberId: subject.memberId, caisseId: subject.caisseId };
  }

  async authenticateApiKey(key: string): Promise<TerminalPrincipal> {
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw new Unauthorized('The API key is unknown or revoked.', 'INVALID_API_KEY');
    return principal;
  }

  /** A paired till's principal (web session), the same as its key's through the API, while the key is not revoked. */
  async terminalPrincipal(keyId: string): Promise<TerminalPrincipal> {
    const [row]: { caisse_id: string; outlet_id: string | null }[] = await this.txHost.tx.query(
      `SELECT caisse_id, outlet_id FROM api_keys WHERE id = $1 AND revoked_at IS NULL`,
      [keyId],
    );
    if (!row) throw new Unauthorized('This till was revoked; pair it again with a valid terminal key.', 'INVALID_API_KEY');
    return { kind: 'terminal', keyId, caisseId: row.caisse_id, outletId: row.outlet_id };
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
    const passwordHash = await this.hasher.hash(this.config.adminPassword ?? generatedPassword!);
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
