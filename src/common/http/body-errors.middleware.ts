import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { sendProblem } from '../errors/problem.filter.js';

const logger = new Logger('Body');

/**
 * body-parser fails before Nest routes the request, so its errors never reach the Nest filters:
 * this express error handler gives them the same problem+json shape.
 */
export function bodyErrorsMiddleware(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const type = (err as { type?: string } | undefined)?.type;
  if (type === 'entity.parse.failed') {
    return sendProblem(req, res, new DomainError('MALFORMED_JSON', 400, 'The request body is not valid JSON.'), logger);
  }
  if (type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit;
    return sendProblem(req, res, new DomainError('PAYLOAD_TOO_LARGE', 413, `The request body is larger than ${limit} bytes.`), logger);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return sendProblem(req, res, new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'The request body encoding is not supported.'), logger);
  }
  next(err);
}
