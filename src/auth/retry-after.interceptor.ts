import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { DomainError } from '../common/errors/domain-error.js';

/** The part of a response both Express (`res.header`) and Fastify (`reply.header`) offer. */
interface HeaderSink {
  header?(name: string, value: string): unknown;
}

/**
 * A refusal that says when to come back (429 login limit, 503 busy or unavailable) carries `retryAfterSeconds` in
 * its body; clients and proxies read the standard `Retry-After` header instead, so it is set from the same value.
 */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const seconds = error instanceof DomainError ? error.extra.retryAfterSeconds : undefined;
        if (typeof seconds === 'number' && context.getType() === 'http') {
          context.switchToHttp().getResponse<HeaderSink>().header?.('Retry-After', String(Math.max(1, Math.ceil(seconds))));
        }
        return throwError(() => error);
      }),
    );
  }
}
