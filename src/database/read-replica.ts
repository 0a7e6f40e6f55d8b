import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import type { DatabaseConfig } from '../config/index.js';
import { TransactionHost } from './transaction.js';

export interface ReplicaState {
  /** DATABASE_REPLICA_URL is set. */
  configured: boolean;
  /** absent: not configured; up: reads go to it; lagging: further behind than the limit; down: unreachable. */
  status: 'absent' | 'up' | 'lagging' | 'down';
  /** Where ReadReplica.query sends reads right now. */
  readsFrom: 'replica' | 'primary';
  lagSeconds: number | null;
  lagBytes: number | null;
  maxLagSeconds: number;
  checkedAt: string | null;
  error: string | null;
}

const PROBE_TIMEOUT_MS = 2000;

/**
 * Reads that may be a little stale — reports, exports, lists, the public register — go through `query(sql, params)`:
 * to the replica (TypeORM's 'slave' pool) while it is reachable and at most DATABASE_REPLICA_MAX_LAG_SECONDS behind,
 * to the primary otherwise or when no replica is configured. Never for a money decision, a check before a write, or
 * a read the caller expects to show its own write: those use TransactionHost as always. Inside a transaction the
 * query stays on the transaction's connection (a replica cannot see uncommitted rows of the primary).
 *
 * Lag: the primary's WAL position is read first, then the replica's replay position; caught up means lag 0, otherwise
 * the age of the last replayed transaction (an idle primary thus never looks lagging).
 */
@Injectable()
export class ReadReplica implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private readonly configured: boolean;
  private readonly maxLagSeconds: number;
  private readonly checkMs: number;
  private timer?: NodeJS.Timeout;
  private state: ReplicaState;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost,
    config: ConfigService,
  ) {
    const db = config.getOrThrow<DatabaseConfig>('database');
    this.configured = Boolean(db.replicaUrl);
    this.maxLagSeconds = db.replicaMaxLagSeconds;
    this.checkMs = db.replicaCheckSeconds * 1000;
    this.state = {
      configured: this.configured,
      status: this.configured ? 'down' : 'absent',
      readsFrom: 'primary',
      lagSeconds: null,
      lagBytes: null,
      maxLagSeconds: this.maxLagSeconds,
      checkedAt: null,
      error: this.configured ? 'not checked yet' : null,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.configured) return;
    if (!this.attached()) {
      this.mark({ status: 'down', readsFrom: 'primary', error: 'the replica did not answer when the service started; restart the service once it does' });
      return;
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.checkMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The last measured state (what /api/health shows). */
  current(): ReplicaState {
    return { ...this.state };
  }

  /** A read that tolerates the replica's lag (see the class comment). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.txHost.active || this.state.readsFrom !== 'replica') return this.txHost.tx.query(sql, params);
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return (await runner.query(sql, params)) as T[];
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      // The replica went away between two checks: mark it down and answer from the primary.
      this.mark({ status: 'down', readsFrom: 'primary', error: (e as Error).message });
      return this.dataSource.query(sql, params);
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` — a report, an export, a public page: reads only — in one REPEATABLE READ READ ONLY snapshot, on the
   * replica while it keeps up, else on the primary; every `txHost.tx` query inside it goes there (facades of other
   * modules included). READ ONLY makes a write slipped into such a path fail loudly on the primary too, not only on
   * the standby. Inside a transaction, `work` joins it: a caller mid-write sees its own rows.
   */
  async read<T>(work: () => Promise<T>): Promise<T> {
    if (this.txHost.active) return work();
    if (this.state.readsFrom === 'replica') {
      try {
        return await this.snapshot('slave', work);
      } catch (e) {
        if (!isConnectionError(e)) throw e;
        this.mark({ status: 'down', readsFrom: 'primary', error: (e as Error).message });
      }
    }
    return this.snapshot('master', work);
  }

  /**
   * A connected query runner where reads go now (the replica, or the primary when it lags, is down or absent), for a
   * caller that drives its own read-only transaction (the FEC's server-side cursors). The caller releases it.
   */
  async runner(): Promise<QueryRunner> {
    if (this.state.readsFrom === 'replica') {
      const replica = this.dataSource.createQueryRunner('slave');
      try {
        await replica.connect();
        return replica;
      } catch (e) {
        await replica.release().catch(() => undefined);
        if (!isConnectionError(e)) throw e;
        this.mark({ status: 'down', readsFrom: 'primary', error: (e as Error).message });
      }
    }
    const primary = this.dataSource.createQueryRunner('master');
    await primary.connect();
    return primary;
  }

  private async snapshot<T>(mode: 'slave' | 'master', work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner(mode);
    let broken: Error | undefined;
    try {
      await runner.connect();
      serialise(runner);
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await this.txHost.within(runner.manager, work);
        await runner.query('COMMIT');
        return result;
      } catch (e) {
        await runner.query('ROLLBACK').catch((r: Error) => (broken = r));
        throw e;
      }
    } finally {
      // A connection whose transaction may still be open is closed, not pooled.
      await (runner as unknown as { release(err?: Error): Promise<void> }).release(broken);
    }
  }

  /** Measures the lag now and decides where reads go. */
  async refresh(): Promise<ReplicaState> {
    if (!this.configured || !this.attached()) return this.current();
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      const lag = await within(PROBE_TIMEOUT_MS, this.measure(runner));
      const lagging = lag.seconds > this.maxLagSeconds;
      this.mark({ status: lagging ? 'lagging' : 'up', readsFrom: lagging ? 'primary' : 'replica', lagSeconds: lag.seconds, lagBytes: lag.bytes, error: null });
    } catch (e) {
      this.mark({ status: 'down', readsFrom: 'primary', lagSeconds: null, lagBytes: null, error: (e as Error).message });
    } finally {
      await runner.release().catch(() => undefined);
    }
    return this.current();
  }

  private async measure(runner: ReturnType<DataSource['createQueryRunner']>): Promise<{ seconds: number; bytes: number }> {
    const [{ lsn }] = (await this.dataSource.query(`SELECT pg_current_wal_lsn()::text AS lsn`)) as { lsn: string }[];
    const [r] = (await runner.query(
      `SELECT pg_is_in_recovery() AS recovering,
              CASE WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) END AS behind,
              extract(epoch FROM now() - pg_last_xact_replay_timestamp()) AS age`,
      [lsn],
    )) as { recovering: boolean; behind: string | null; age: string | null }[];
    // Not a standby (e.g. the primary itself named as replica in a test): nothing to lag behind.
    if (!r.recovering) return { seconds: 0, bytes: 0 };
    const bytes = Math.max(0, Number(r.behind ?? 0));
    return { seconds: bytes === 0 ? 0 : Math.max(0, Number(r.age ?? 0)), bytes };
  }

  /** The DataSource has a replica pool (DatabaseModule leaves it out when the replica is down at start). */
  private attached(): boolean {
    return (this.dataSource.driver as unknown as { isReplicated?: boolean }).isReplicated === true;
  }

  private mark(next: Partial<ReplicaState>): void {
    const before = this.state.readsFrom;
    this.state = { ...this.state, ...next, checkedAt: new Date().toISOString() };
    if (before !== this.state.readsFrom) {
      const why = this.state.status === 'lagging' ? `${this.state.lagSeconds?.toFixed(1)} s behind (limit ${this.maxLagSeconds} s)` : this.state.error ?? this.state.status;
      this.logger.warn(`replica reads now go to the ${this.state.readsFrom} (${why})`);
    }
  }
}

/**
 * Reports read several things at once (Promise.all) where each read used to take a pooled connection of its own;
 * in one snapshot they share one connection, on which node-pg is to stop queueing overlapping queries (pg 9):
 * the runner queues them itself.
 */
function serialise(runner: QueryRunner): void {
  const raw = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  (runner as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const next = last.then(() => raw(...args));
    last = next.catch(() => undefined);
    return next;
  };
}

function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P01|57P02|57P03|08\d{3})$/.test(code ?? '') || /Connection terminated|timeout/i.test((e as Error).message);
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
