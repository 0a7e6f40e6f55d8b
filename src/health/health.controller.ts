import { Controller, Get, Inject, OnModuleInit, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectQueue } from '@nestjs/bull';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { HttpReply } from '../common/http/http-types.js';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../common/request-context/decorators.js';
import { REDIS } from '../database/redis.module.js';
import { QueueSchedules, type QueueState } from '../database/schedules.js';
import { ReadReplica, type ReplicaState } from '../database/read-replica.js';
import { ConfigService } from '@nestjs/config';
import type { AppConfig, AppRole } from '../config/index.js';

export const HEALTH_QUEUE = 'health';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({ required: false }) error?: string;
  @ApiProperty({ required: false }) latencyMs?: number;
}

class ScheduleStateDto {
  @ApiProperty({ example: 'seal-all' }) name: string;
  @ApiProperty({ example: '0 * * * *' }) cron: string;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Paris' }) tz: string | null;
  @ApiProperty({ description: 'The repeatable job is in Redis (false while Redis is down or until it is re-created)' }) present: boolean;
}

export class QueueStateDto {
  @ApiProperty({ example: 'allocations' }) name: string;
  @ApiProperty({ description: "The queue's Redis connection is up: jobs can be added" }) ready: boolean;
  @ApiProperty({ example: 'ready', description: 'ioredis connection status (ready, connecting, reconnecting, …)' }) connection: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, nullable: true, example: { waiting: 0, active: 1, delayed: 2, failed: 0, completed: 10, paused: 0 } })
  counts: Record<string, number> | null;
  @ApiProperty({ type: [ScheduleStateDto] }) schedules: ScheduleStateDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Last time its schedules were put in place' }) lastSyncAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: [String], description: 'Ids of the jobs this process is running now' }) processing: string[];
}

class ReplicaDto {
  @ApiProperty({ description: 'DATABASE_REPLICA_URL is set' }) configured: boolean;
  @ApiProperty({ enum: ['absent', 'up', 'lagging', 'down'] }) status: string;
  @ApiProperty({ enum: ['replica', 'primary'], description: 'Where report, list and register reads go now' }) readsFrom: string;
  @ApiProperty({ type: Number, nullable: true }) lagSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'WAL bytes the replica has yet to replay' }) lagBytes: number | null;
  @ApiProperty() maxLagSeconds: number;
  @ApiProperty({ type: String, nullable: true }) checkedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

class HealthDto {
  @ApiProperty({ enum: ['api', 'worker', 'all'], description: 'APP_ROLE of the process that answered: api takes no job, worker serves no API' })
  role: AppRole;
  @ApiProperty({ enum: ['ok', 'degraded', 'error'], description: 'degraded (200): all reachable but a repeatable schedule is missing and being re-created, or the read replica is lagging or down; error (503): database, Redis or a queue unusable' })
  status: 'ok' | 'degraded' | 'error';
  @ApiProperty({ type: CheckDto }) database: CheckDto;
  @ApiProperty({ type: CheckDto }) redis: CheckDto;
  @ApiProperty({ type: CheckDto, description: 'A round trip through a job queue' }) queue: CheckDto;
  @ApiProperty({ type: [QueueStateDto] }) queues: QueueStateDto[];
  @ApiProperty({ type: ReplicaDto, description: 'The read replica: lagging or down is degraded (reads go to the primary meanwhile)' }) replica: ReplicaDto;
}

const TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<CheckDto> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS)))]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (e) {
    return { status: 'down', error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('ops')
@Controller('api/health')
export class HealthController implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(HEALTH_QUEUE) private readonly queue: Queue,
    private readonly schedules: QueueSchedules,
    private readonly config: ConfigService,
    private readonly replica: ReadReplica,
  ) {}

  onModuleInit(): void {
    this.schedules.register({ queue: this.queue });
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database, Redis and job queues: per queue its connection, job counts and repeatable schedules (503 when one is unusable)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) res: HttpReply): Promise<HealthDto> {
    const [database, redis, queue, queues] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      // Not connected: down at once, rather than a command waiting in ioredis' offline queue until the timeout.
      check(async () => {
        if (this.redis.status !== 'ready') throw new Error(`not connected (${this.redis.status})`);
        await this.redis.ping();
      }),
      check(async () => {
        if (!this.schedules.usable(this.queue)) throw new Error(`not connected (${this.queue.client.status})`);
        await this.queue.isReady();
        await this.queue.getJobCounts();
      }),
      this.schedules.state(),
    ]);
    const replica = this.replica.current();
    const status = overall([database, redis, queue], queues, replica);
    // A missing schedule is re-created by the next check; ask for it now so the next probe sees it back.
    if (status === 'degraded') void this.schedules.sync('check');
    res.status(status === 'error' ? 503 : 200);
    return { status, role: this.config.getOrThrow<AppConfig>('app').role, database, redis, queue, queues, replica };
  }
}

function overall(checks: CheckDto[], queues: QueueState[], replica: ReplicaState): HealthDto['status'] {
  if (checks.some((c) => c.status !== 'up') || queues.some((q) => !q.ready)) return 'error';
  if (queues.some((q) => q.schedules.some((s) => !s.present))) return 'degraded';
  // The primary answers every read meanwhile: slower reports, nothing wrong.
  if (replica.status === 'lagging' || replica.status === 'down') return 'degraded';
  return 'ok';
}
