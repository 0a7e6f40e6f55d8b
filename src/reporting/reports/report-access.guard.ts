import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthService } from '../../auth/auth.service.js';
import { Forbidden, NotFound, Unauthorized, ValidationFailed } from '../../common/errors/domain-error.js';
import { headerOf, type HttpRequest } from '../../common/http/http-types.js';
import type { Principal } from '../../common/request-context/principal.js';
import { RequestContext } from '../../common/request-context/request-context.js';
import type { ReportName } from './report-settings.dto.js';
import { ReportSettingsService } from './report-settings.service.js';

export const REPORT_KEY = 'reporting:report';
/** Names the report a route serves, so the guard can ask whether the caisse publishes it. */
export const ReportRoute = (name: ReportName): MethodDecorator => SetMetadata(REPORT_KEY, name);

export type ReportAudience = 'staff' | 'public';
const STAFF = ['admin', 'treasurer'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reports are for the treasurer and the admin — and for everyone when the caisse marks the report public. The
 * routes are @Public() for the global guard; this one decides: staff get the full report, anyone else a public
 * one (small counts suppressed) when published; otherwise the usual answers (401 without credentials, 404 without
 * any role in the caisse, 403 with another role). The audience is left on the request for the handler.
 */
@Injectable()
export class ReportAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly settings: ReportSettingsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<HttpRequest & { principal?: Principal; reportAudience?: ReportAudience }>();
    const caisseId = (req.params as Record<string, string | undefined>).caisseId ?? '';
    if (!UUID.test(caisseId)) throw new ValidationFailed({ caisseId: ['caisseId must be a UUID'] });
    const report = this.reflector.get<ReportName>(REPORT_KEY, context.getHandler());
    const published = () => this.settings.isPublic(caisseId.toLowerCase(), report);
    const principal = await this.authenticate(req);
    if (!principal) {
      if (!(await published())) throw new Unauthorized('This report is not public: log in and send `Authorization: Bearer <token>`.');
      req.reportAudience = 'public';
      return true;
    }
    req.principal = principal;
    RequestContext.setPrincipal(principal);
    const held = await this.auth.rolesInCaisse(principal, caisseId.toLowerCase());
    if (held.some((r) => STAFF.includes(r))) req.reportAudience = 'staff';
    else if (await published()) req.reportAudience = 'public';
    else if (held.length === 0) throw new NotFound('Caisse', caisseId);
    else throw new Forbidden(`This report needs one of the roles: ${STAFF.join(', ')}.`);
    return true;
  }

  private async authenticate(req: HttpRequest): Promise<Principal | undefined> {
    const apiKey = headerOf(req, 'x-api-key');
    if (apiKey) return this.auth.authenticateApiKey(apiKey);
    const header = headerOf(req, 'authorization');
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new Unauthorized('Send `Authorization: Bearer <token>`.');
    return this.auth.authenticateBearer(m[1]);
  }
}
