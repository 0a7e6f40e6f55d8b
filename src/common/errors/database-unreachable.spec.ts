import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { resolveError } from './problem.filter.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('PostgreSQL out of reach → 503 DATABASE_UNAVAILABLE (retryable), never a 500', () => {
  it.each([
    ['refused while connecting', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['refused on every address', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
    ['server gone under an open connection', new Error('Connection terminated unexpectedly')],
    ['the same, wrapped by TypeORM', wrapped(new Error('Connection terminated unexpectedly'))],
    ['admin shutdown during a query', wrapped(withCode('terminating connection due to administrator command', '57P01'))],
    ['server starting up', withCode('the database system is starting up', '57P03')],
    ['connection exception class', wrapped(withCode('connection failure', '08006'))],
    ['pool connect timeout', new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') })],
    ['a transaction whose connection TypeORM released on its error', new QueryRunnerProviderAlreadyReleasedError()],
    ['a COMMIT on a query runner TypeORM released meanwhile', new QueryRunnerAlreadyReleasedError()],
    ['a broken client reused', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s', (_what, error) => {
    expect(resolveError(error)).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, headers: { 'Retry-After': '2' } });
  });

  it('leaves other failures alone (a bad value stays a 400, an unknown error stays unresolved → 500)', () => {
    expect(resolveError(wrapped(withCode('invalid input syntax', '22P02')))).toMatchObject({ status: 400 });
    expect(resolveError(new Error('boom'))).toBeUndefined();
    expect(resolveError(wrapped(withCode('division by zero', '22012')))).toBeUndefined();
  });
});
