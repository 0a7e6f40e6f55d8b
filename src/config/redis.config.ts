import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

export class RedisEnv {
  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: 'QUEUE_PREFIX may hold letters, digits, _ : - only' })
  QUEUE_PREFIX: string = 'caisse';

  @IsOptional() @IsInt() @Min(1024) @Max(65535)
  EMBEDDED_REDIS_PORT: number = 63799;

  /** Every so often each queue's repeatable jobs are checked and re-created if Redis lost them (see database/schedules.ts). */
  @IsOptional() @IsInt() @Min(1) @Max(3600)
  QUEUE_CHECK_SECONDS: number = 30;

  /**
   * How long a job's lock lasts (renewed at half of it) and how often stalled jobs are looked for: a killed worker's
   * job is taken over by another within about 1.5 times this. bull's default is 30.
   */
  @IsOptional() @IsInt() @Min(1) @Max(300)
  QUEUE_LOCK_SECONDS: number = 30;
}

export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv);
  if (!env.REDIS_URL) throw new Error('REDIS_URL is not set and no embedded redis-server was started');
  return { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX, checkSeconds: env.QUEUE_CHECK_SECONDS, lockSeconds: env.QUEUE_LOCK_SECONDS };
});
export type RedisConfig = ReturnType<typeof redisConfig>;
