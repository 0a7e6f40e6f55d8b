import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { parseTrustProxy, TrustProxyConstraint } from './trust-proxy.js';
import { validateEnv } from './validate-env.js';

export type AppRole = 'api' | 'worker' | 'all';

export class AppEnv {
  @IsOptional() @IsInt({ message: 'PORT must be a whole number' }) @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsOptional() @IsIn(['json', 'text'], { message: 'LOG_FORMAT must be json or text' })
  LOG_FORMAT?: string;

  @IsOptional() @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT: string = '100kb';

  @IsOptional() @IsString()
  DATA_DIR: string = './.data';

  /** Processes serving HTTP on the same port (node:cluster); 1 keeps a single process. */
  @IsOptional() @IsInt({ message: 'APP_WORKERS must be a whole number' }) @Min(1) @Max(64)
  APP_WORKERS: number = 1;

  /** api: HTTP only, no queue consumer; worker: queue consumers, HTTP for /api/health only; all: both (see database/app-role.ts). */
  @IsOptional() @IsIn(['api', 'worker', 'all'], { message: 'APP_ROLE must be api, worker or all' })
  APP_ROLE: string = 'all';

  /** Off by default: a client-chosen X-Forwarded-For would otherwise pick the address the login limit counts. */
  @IsOptional() @Validate(TrustProxyConstraint)
  TRUST_PROXY: string = 'off';
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv);
  return {
    port: env.PORT,
    env: env.NODE_ENV,
    logJson: env.LOG_FORMAT ? env.LOG_FORMAT === 'json' : env.NODE_ENV === 'production',
    bodyLimit: env.BODY_LIMIT,
    dataDir: env.DATA_DIR,
    workers: env.APP_WORKERS,
    role: env.APP_ROLE as AppRole,
    /** For the HTTP adapter: `false`, a hop count, or trusted proxy addresses (see trust-proxy.ts). */
    trustProxy: parseTrustProxy(env.TRUST_PROXY)!,
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
