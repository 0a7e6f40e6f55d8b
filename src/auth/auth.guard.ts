import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { headerOf, type HttpRequest } from '../common/http/http-types.js';
import { Forbidden, NotFound, Unauthorized, ValidationFailed } from '../common/errors/domain-error.js';
import { PLATFORM_ADMIN_KEY, PUBLIC_KEY, ROLES_KEY } from '../common/request-context/decorators.js';
import type { AccessRole, Principal } from '../common/request-context/principal.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { AuthService } from './auth.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global guard: authenticates (Bearer JWT for people, X-Api-Key for terminals), then checks the caisse of
 * `:caisseId`. Someone without any role in that caisse is told it does not exist (404), so caisses cannot be
 * probed; someone with the wrong role there gets 403. A caisse route that forgot @Roles is admin-only.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<HttpRequest & { principal?: Principal }>();
    const principal = await this.authenticate(req);
    req.principal = principal;
    RequestContext.setPrincipal(principal);

    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ADMIN_KEY, targets)) {
      if (principal.kind !== 'user' || !principal.platformAdmin) throw new Forbidden('Only the platform admin may do this.');
      return true;
    }
    const caisseId = (req.params as Record<string, string | undefined> | undefined)?.caisseId;
    const required = this.reflector.getAllAndOverride<AccessRole[] | undefined>(ROLES_KEY, targets);
    if (typeof caisseId !== 'string') {
      if (required) this.logger.error(`@Roles on a route without :caisseId: ${req.method} ${req.routeOptions.url}`);
      return !required;
    }
    // Fail closed: a malformed id never reaches a handler, whatever pipe the route uses.
    if (!UUID.test(caisseId)) throw new ValidationFailed({ caisseId: ['caisseId must be a UUID'] });
    const held = await this.auth.rolesInCaisse(principal, caisseId.toLowerCase());
    if (held.length === 0) throw new NotFound('Caisse', caisseId);
    const allowed = required ?? ['admin'];
    if (!held.some((r) => allowed.includes(r))) throw new Forbidden(`This action needs one of the roles: ${allowed.join(', ')}.`);
    return true;
  }

  private async authenticate(req: HttpRequest): Promise<Principal> {
    const apiKey = headerOf(req, 'x-api-key');
    if (apiKey) return this.auth.authenticateApiKey(apiKey);
    const header = headerOf(req, 'authorization');
    if (!header) {
      // A browser's web session (cookie) when the request carries neither token nor key; never for /api routes.
      const session = await this.auth.authenticateSession(req);
      if (session) return session;
    }
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new Unauthorized('Log in and send `Authorization: Bearer <token>`, or send a terminal `X-Api-Key`.');
    return this.auth.authenticateBearer(m[1]);
  }
}
