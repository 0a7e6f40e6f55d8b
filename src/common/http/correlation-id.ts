import { randomUUID } from 'node:crypto';
import type { HttpReply, HttpRequest } from './http-types.js';
import { headerOf } from './http-types.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const ID = Symbol('correlationId');

type WithId = HttpRequest & { [ID]?: string };

/** Takes a caller's X-Request-Id when it is sane, else makes one; echoed back as X-Correlation-Id. */
export function assignCorrelationId(req: HttpRequest, reply: HttpReply): string {
  const incoming = headerOf(req, 'x-request-id');
  const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  (req as WithId)[ID] = id;
  reply.header('X-Correlation-Id', id);
  return id;
}

export function correlationIdOf(req: HttpRequest): string {
  return (req as WithId)[ID] ?? 'none';
}
