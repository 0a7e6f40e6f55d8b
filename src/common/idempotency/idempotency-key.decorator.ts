import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertIdempotencyKey } from './idempotency.service.js';

/** The validated `Idempotency-Key` header (undefined when absent and optional). */
export const IdempotencyKey = createParamDecorator((required: boolean | undefined, ctx: ExecutionContext): string | undefined => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return assertIdempotencyKey(req.header('idempotency-key'), required ?? false);
});

export function markReplay(res: Response, replayed: boolean): void {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
}
