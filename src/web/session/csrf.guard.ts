import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { headerOf } from '../../common/http/http-types.js';
import type { WebRequest } from './web-session.types.js';
import { WebSessionsService } from './web-sessions.service.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export class CsrfRejected extends DomainError {
  constructor() {
    super('CSRF_REJECTED', 403, 'Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.');
  }
}

/**
 * On every web controller: a request that changes something (anything but GET/HEAD) must carry the CSRF token of its
 * session — the hidden `_csrf` field of a form, or the X-CSRF-Token header of a fetch — or it is refused with 403.
 * A multipart upload carries it in the form action's query string (`?_csrf=…`, see `uploadForm`): its body is only
 * read by the route's FileUpload interceptor, after this guard, so a forged upload is refused before a byte of the
 * file is parsed. It runs after the global AuthGuard, so a logged-out post is a 401 (login page) before it is a CSRF
 * question.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly sessions: WebSessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebRequest>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    const source = isMultipart(req) ? req.query : req.body;
    const field = source && typeof source === 'object' ? (source as Record<string, unknown>)[CSRF_FIELD] : undefined;
    const token = typeof field === 'string' ? field : headerOf(req, CSRF_HEADER);
    if (!(await this.sessions.checkCsrf(req, token))) throw new CsrfRejected();
    return true;
  }
}

/** The query string is read for multipart bodies only: a URL-encoded form keeps its token out of URLs. */
function isMultipart(req: WebRequest): boolean {
  return /^multipart\/form-data\b/i.test(headerOf(req, 'content-type') ?? '');
}
