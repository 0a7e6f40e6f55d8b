import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import type { HttpReply } from '../common/http/http-types.js';
import { WebSessionsService } from './session/web-sessions.service.js';
import type { WebRequest } from './session/web-session.types.js';
import { layout, type PageOptions } from './view/layout.js';
import type { PageContext } from './view/page-context.js';

/** What every page controller uses: the page context of a request, and sending a page or a redirect. */
@Injectable()
export class WebPages {
  constructor(
    private readonly auth: AuthService,
    private readonly caisses: CaissesService,
    private readonly sessions: WebSessionsService,
  ) {}

  /**
   * The context of the request: the principal the AuthGuard resolved (on public pages, the session's if any, so the
   * header still shows who is logged in), the caisse of `caisseId` (404 when unknown) and the viewer's roles there.
   */
  async context(req: WebRequest, reply: HttpReply, caisseId?: string): Promise<PageContext> {
    const principal = req.principal ?? (await this.auth.authenticateSession(req).catch(() => undefined));
    const csrf = await this.sessions.csrfToken(req, reply);
    const caisse = caisseId ? await this.caisses.get(caisseId.toLowerCase()) : undefined;
    const roles = principal && caisse ? await this.auth.rolesInCaisse(principal, caisse.id) : [];
    const path = req.url.split('?')[0];
    return { principal, csrf, path, caisse: caisse && { id: caisse.id, name: caisse.name }, roles };
  }

  send(reply: HttpReply, ctx: PageContext, page: PageOptions, status = 200): void {
    reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(layout(ctx, page));
  }

  /** A fragment for htmx (no layout). */
  sendFragment(reply: HttpReply, fragment: string, status = 200): void {
    reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(fragment);
  }

  /** After a successful POST: 303 so a reload does not post again. Only paths of this site. */
  redirect(reply: HttpReply, to: string): void {
    reply.status(303).header('Location', safeLocalPath(to)).send();
  }
}

/** A same-site path (no scheme, no `//host`, no backslash trick), else the home page. */
export function safeLocalPath(to: string | undefined): string {
  return to && /^\/(?![/\\])[^\s]*$/.test(to) ? to : '/';
}
