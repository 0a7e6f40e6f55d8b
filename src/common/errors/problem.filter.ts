import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from './database-unreachable.js';
import { DomainError } from './domain-error.js';
import { buildProblem, PROBLEM_CONTENT_TYPE } from './problem.js';
import { correlationIdOf } from '../http/correlation-id.js';
import type { HttpReply, HttpRequest } from '../http/http-types.js';

interface Resolved {
  code: string;
  status: number;
  detail: string;
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'UNAVAILABLE',
};

/** What Postgres says about bad data, as something the caller can fix (never a 500). */
const PG_CODES: Record<string, Resolved> = {
  '23505': { code: 'DUPLICATE', status: 409, detail: 'This record already exists.' },
  '23503': { code: 'REFERENCE_NOT_FOUND', status: 422, detail: 'A referenced record does not exist.' },
  '23514': { code: 'CONSTRAINT_VIOLATED', status: 422, detail: 'The data breaks a rule of the books.' },
  '22P02': { code: 'INVALID_VALUE', status: 400, detail: 'A value has the wrong format.' },
  '22003': { code: 'INVALID_VALUE', status: 400, detail: 'A number is out of range.' },
  '22007': { code: 'INVALID_VALUE', status: 400, detail: 'A date has the wrong format.' },
  '22008': { code: 'INVALID_VALUE', status: 400, detail: 'A date is out of range.' },
  P0001: { code: 'APPEND_ONLY', status: 409, detail: 'Recorded history cannot be changed; post a correction instead.' },
  P0002: { code: 'PERIOD_CLOSED', status: 409, detail: 'This date falls in a closed period.' },
  P0003: { code: 'APPEND_ONLY', status: 409, detail: 'A closed period cannot be reopened.' },
  P0004: { code: 'UNBALANCED_ENTRY', status: 422, detail: 'The entry does not balance.' },
  '40001': { code: 'BUSY_RETRY', status: 503, detail: 'The books are busy; retry in a moment.', headers: { 'Retry-After': '1' } },
  '40P01': { code: 'BUSY_RETRY', status: 503, detail: 'The books are busy; retry in a moment.', headers: { 'Retry-After': '1' } },
};

export function resolveError(error: unknown): Resolved | undefined {
  if (error instanceof DomainError) {
    // A refusal that says when to come back (429, 503) also says it in the standard header.
    const after = error.extra.retryAfterSeconds;
    const headers = typeof after === 'number' && Number.isFinite(after) ? { 'Retry-After': String(Math.max(1, Math.ceil(after))) } : undefined;
    return { code: error.code, status: error.status, detail: error.message, extra: error.extra, headers };
  }
  if (isRedisUnreachable(error)) return REDIS_UNREACHABLE;
  if (isDatabaseUnreachable(error)) return DATABASE_UNREACHABLE;
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own refusals (body too large, bad media type…): their FST_ code says more than the status.
    const wrapped = fastifyError((error as { cause?: unknown }).cause);
    if (wrapped) return wrapped;
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
    const code = status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE)/.test(detail) ? 'ROUTE_NOT_FOUND' : HTTP_CODES[status] ?? `HTTP_${status}`;
    return { code, status, detail };
  }
  const fastify = fastifyError(error);
  if (fastify) return fastify;
  if (error instanceof QueryFailedError) {
    const pgCode = (error.driverError as { code?: string } | undefined)?.code;
    return pgCode ? PG_CODES[pgCode] : undefined;
  }
  return undefined;
}

/** ioredis giving up on a command while the connection is down: the service is unavailable, not broken. */
const REDIS_UNREACHABLE: Resolved = {
  code: 'REDIS_UNAVAILABLE',
  status: 503,
  detail: 'A service the caisse depends on (Redis) cannot be reached right now. Retry in a moment.',
  headers: { 'Retry-After': '5' },
};

/** PostgreSQL restarting or cut off: nothing was recorded unless the commit went through, which a retry with the same
 * Idempotency-Key finds and replays. */
const DATABASE_UNREACHABLE: Resolved = {
  code: 'DATABASE_UNAVAILABLE',
  status: 503,
  detail: 'The books (PostgreSQL) cannot be reached right now. Retry in a moment with the same Idempotency-Key.',
  headers: { 'Retry-After': '2' },
};

function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    error.message === 'Connection is closed.' ||
    error.message.startsWith("Stream isn't writeable and enableOfflineQueue options is false")
  );
}

/** Fastify's own refusals (body parsing, multipart, bad headers) carry a 4xx statusCode and an FST_ code. */
const FASTIFY_CODES: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'The request body is larger than this route accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted; send application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'The request body is empty; send a JSON value.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_INVALID_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'The Content-Type header is not valid.'],
};

function fastifyError(error: unknown): Resolved | undefined {
  const e = error as { code?: unknown; statusCode?: unknown; message?: string } | null;
  if (!e || typeof e.code !== 'string' || typeof e.statusCode !== 'number') return undefined;
  if (e.statusCode < 400 || e.statusCode >= 500 || !e.code.startsWith('FST_')) return undefined;
  const [code, detail] = FASTIFY_CODES[e.code] ?? [HTTP_CODES[e.statusCode] ?? `HTTP_${e.statusCode}`, 'The request could not be read.'];
  return { code, status: e.statusCode, detail };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<HttpRequest>();
    const res = ctx.getResponse<HttpReply>();
    sendProblem(req, res, error, this.logger);
  }
}

export function sendProblem(req: HttpRequest, res: HttpReply, error: unknown, logger: Logger): void {
  const resolved = resolveError(error);
  const correlationId = correlationIdOf(req);
  if (!resolved) {
    logger.error({ msg: 'request failed', correlationId, path: req.originalUrl, error: describe(error) });
  } else if (resolved.status >= 500) {
    // Known unavailability (busy books, Redis down): worth a line, not a stack trace.
    logger.warn({ msg: 'request refused', correlationId, path: req.originalUrl, code: resolved.code, detail: resolved.detail });
  }
  const r: Resolved = resolved ?? {
    code: 'INTERNAL_ERROR',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'An unexpected error occurred; nothing was recorded. Quote the correlation id when reporting it.',
  };
  if (res.sent || res.raw.headersSent) return;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.header(k, v);
  res
    .status(r.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(buildProblem({ ...r, instance: req.originalUrl, correlationId })));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
