import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { headerOf, type HttpReply, type HttpRequest } from '../http/http-types.js';
import { assertIdempotencyKey } from './idempotency.service.js';

/** The validated `Idempotency-Key` header (undefined when absent and optional). */
export const IdempotencyKey = createParamDecorator((required: boolean | undefined, ctx: ExecutionContext): string | undefined => {
  const req = ctx.switchToHttp().getRequest<HttpRequest>();
  return assertIdempotencyKey(headerOf(req, 'idempotency-key'), required ?? false);
});

export function markReplay(res: HttpReply, replayed: boolean): void {
  if (replayed) res.header('Idempotent-Replayed', 'true');
}
