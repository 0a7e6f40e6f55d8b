/**
 * PostgreSQL out of reach (restarting, failing over, network cut): the request can be retried as it is, so the answer
 * is a 503 with Retry-After, never a 500. The error comes in several shapes: a socket error from pg's pool while
 * connecting (ECONNREFUSED…), pg's own "Connection terminated" when the server goes away under an open connection, the
 * server's FATAL codes while it shuts down or starts up (class 57P, class 08), each either raw or wrapped by TypeORM
 * (QueryFailedError.driverError) or in a `cause`. TypeORM also releases a transaction's query runner when its connection
 * errors, so the use case's next statement (or its COMMIT) fails with QueryRunnerProviderAlreadyReleasedError or
 * QueryRunnerAlreadyReleasedError: the same outage. Whether such a COMMIT landed is unknown: the 503 asks the client to
 * retry with the same Idempotency-Key, which replays it if it did.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** admin_shutdown, crash_shutdown, cannot_connect_now, and the whole connection_exception class. */
const SERVER_CODES = /^(57P01|57P02|57P03|08...)$/;
const PG_MESSAGES = [/^Connection terminated/, /^Client has encountered a connection error and is not queryable/, /^Client was closed and is not queryable/, /^timeout exceeded when trying to connect/];

export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || SERVER_CODES.test(e.code))) return true;
  const name = (error as Error).name;
  if (name === 'QueryRunnerProviderAlreadyReleasedError' || name === 'QueryRunnerAlreadyReleasedError') return true;
  if (typeof e.message === 'string' && PG_MESSAGES.some((m) => m.test(e.message as string))) return true;
  // Node's happy-eyeballs connect reports every refused address in an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnreachable(inner, depth + 1))) return true;
  return isDatabaseUnreachable(e.driverError, depth + 1) || isDatabaseUnreachable(e.cause, depth + 1);
}
