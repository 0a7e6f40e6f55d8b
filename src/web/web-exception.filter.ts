import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { resolveError, sendProblem } from '../common/errors/problem.filter.js';
import { correlationIdOf } from '../common/http/correlation-id.js';
import { preferredType, type HttpReply, type HttpRequest } from '../common/http/http-types.js';
import { html } from './view/html.js';
import { layout } from './view/layout.js';

const TITLES: Record<number, string> = {
  400: 'Demande incorrecte',
  403: 'Accès refusé',
  404: 'Page introuvable',
  409: 'Action impossible',
  413: 'Envoi trop volumineux',
  415: 'Format non accepté',
  422: 'Action impossible',
  423: 'Carte verrouillée',
  429: 'Trop de tentatives',
  503: 'Service momentanément indisponible',
};

const MEMBER_AREA = /^\/caisses\/([0-9a-fA-F-]{36})\/membre(\/|$)/;

/**
 * Errors of the web pages as pages: not logged in → the login page (the member one in the member area), other
 * refusals → a French error page with the status and correlation id. A client asking for JSON gets the problem.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<HttpRequest>();
    const reply = host.switchToHttp().getResponse<HttpReply>();
    if (reply.sent || reply.raw.headersSent) return;
    if (preferredType(req, ['text/html', 'application/json', 'application/problem+json']) !== 'text/html') return sendProblem(req, reply, error, this.logger);
    const resolved = resolveError(error);
    const path = req.url.split('?')[0];
    if (resolved?.status === 401) {
      const member = MEMBER_AREA.exec(path);
      const login = member ? `/caisses/${member[1].toLowerCase()}/membre/connexion` : '/connexion';
      const back = req.method === 'GET' ? `?retour=${encodeURIComponent(req.url)}` : '';
      reply.status(303).header('Location', `${login}${back}`).header('Cache-Control', 'no-store').send();
      return;
    }
    if (!resolved) this.logger.error({ msg: 'page failed', correlationId: correlationIdOf(req), path, error: error instanceof Error ? error.stack : String(error) });
    const status = resolved?.status ?? 500;
    const title = TITLES[status] ?? (status >= 500 ? 'Erreur inattendue' : 'Demande refusée');
    const detail = resolved?.detail ?? 'Une erreur inattendue est survenue ; rien n’a été enregistré.';
    for (const [k, v] of Object.entries(resolved?.headers ?? {})) reply.header(k, v);
    const body = html`<p>${detail}</p>
<p class="hint">Référence à citer si vous signalez le problème : <code>${correlationIdOf(req)}</code></p>
<p><a href="/">Retour à l’accueil</a></p>`;
    reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(layout({ csrf: '', path, roles: [] }, { title, body }));
  }
}
