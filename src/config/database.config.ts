import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

export class DatabaseEnv {
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  DATABASE_URL?: string;

  @IsOptional() @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE: number = 20;

  @IsOptional() @IsInt() @Min(1024) @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  /** A streaming replica for reports, exports, lists and the public register (database/read-replica.ts); never money decisions. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_REPLICA_URL must start with postgres:// or postgresql://' })
  DATABASE_REPLICA_URL?: string;

  /** Replica reads go back to the primary while the replica is further behind than this. */
  @IsOptional() @IsInt() @Min(0) @Max(3600)
  DATABASE_REPLICA_MAX_LAG_SECONDS: number = 10;

  /** How often the replica's lag is measured. */
  @IsOptional() @IsInt() @Min(1) @Max(300)
  DATABASE_REPLICA_CHECK_SECONDS: number = 5;
}

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(DatabaseEnv);
  // main.ts starts an embedded server and sets DATABASE_URL before Nest boots, so here it is always known.
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set and no embedded PostgreSQL was started');
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    replicaUrl: env.DATABASE_REPLICA_URL,
    replicaMaxLagSeconds: env.DATABASE_REPLICA_MAX_LAG_SECONDS,
    replicaCheckSeconds: env.DATABASE_REPLICA_CHECK_SECONDS,
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
