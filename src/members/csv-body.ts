import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { bodyErrorsMiddleware } from '../common/http/body-errors.middleware.js';

/** A member file is far bigger than a JSON request: its own parser and limit, on the import route only. */
export const CSV_BODY_LIMIT = '2mb';
const parseText = express.text({ type: ['text/csv', 'application/csv', 'text/plain'], limit: CSV_BODY_LIMIT, defaultCharset: 'utf-8' });

/** Registered as route middleware, after the global error handler: so it answers its own errors as problems. */
export function csvBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  parseText(req, res, (err?: unknown) => (err ? bodyErrorsMiddleware(err, req, res, next) : next()));
}

/** The CSV text of the request; anything else (JSON, a form) is a 415. */
export const CsvBody = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const body = ctx.switchToHttp().getRequest<Request>().body as unknown;
  if (typeof body !== 'string') throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the members as CSV text with Content-Type: text/csv (UTF-8).');
  return body;
});
