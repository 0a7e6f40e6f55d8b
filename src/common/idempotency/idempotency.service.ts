import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../../database/transaction.js';
import { Conflict, ValidationFailed } from '../errors/domain-error.js';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,200}$/;

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function assertIdempotencyKey(key: string | undefined, required: boolean): string | undefined {
  if (key === undefined || key === '') {
    if (required) throw new ValidationFailed({ 'Idempotency-Key': ['the Idempotency-Key header is required for this request'] });
    return undefined;
  }
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationFailed({ 'Idempotency-Key': ['Idempotency-Key must be 8-200 characters of letters, digits, . _ : -'] });
  }
  return key;
}

/**
 * Runs a use case at most once per (caisse, scope, key). The key row is inserted first, inside the caller's
 * transaction: a concurrent duplicate blocks on the primary key until the first commits, then reads its stored
 * response; if the first rolls back, the key is free again. Same key with another body is a 409.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly txHost: TransactionHost) {}

  /** Opens the use case's transaction when no key is given too, so both paths behave alike. */
  @Transactional()
  async once<T>(caisseId: string, scope: string, key: string | undefined, request: unknown, work: () => Promise<{ status: number; body: T }>): Promise<IdempotentResult<T>> {
    if (key === undefined) return { ...(await work()), replayed: false };
    return this.run(caisseId, scope, key, request, work);
  }

  async run<T>(caisseId: string, scope: string, key: string, request: unknown, work: () => Promise<{ status: number; body: T }>): Promise<IdempotentResult<T>> {
    const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const tx = this.txHost.tx;
    const inserted: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (caisse_id, scope, key, request_hash, response_status, response_body)
       VALUES ($1, $2, $3, $4, 0, 'null') ON CONFLICT DO NOTHING RETURNING key`,
      [caisseId, scope, key, hash],
    );
    if (inserted.length === 0) {
      const [row] = await tx.query(
        `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE caisse_id = $1 AND scope = $2 AND key = $3`,
        [caisseId, scope, key],
      );
      if (row.request_hash !== hash) {
        throw new Conflict('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request body.');
      }
      return { status: row.response_status, body: row.response_body as T, replayed: true };
    }
    const result = await work();
    await tx.query(
      `UPDATE idempotency_keys SET response_status = $4, response_body = $5 WHERE caisse_id = $1 AND scope = $2 AND key = $3`,
      [caisseId, scope, key, result.status, JSON.stringify(result.body)],
    );
    return { ...result, replayed: false };
  }
}
