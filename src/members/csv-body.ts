import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import type { HttpRequest } from '../common/http/http-types.js';

/** A member file is far bigger than a JSON request: its own limit, on the import route only. */
export const CSV_BODY_LIMIT = '2mb';
export const MEMBER_IMPORT_PATH = '/api/v1/caisses/:caisseId/members/imports';

/** The CSV text of the request (parsed as text, NUL and lone surrogates refused); anything else is a 415. */
export const CsvBody = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const body = ctx.switchToHttp().getRequest<HttpRequest>().body as unknown;
  if (typeof body !== 'string') throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the members as CSV text with Content-Type: text/csv (UTF-8).');
  return body;
});
