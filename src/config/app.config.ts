import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

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

  /** Whether X-Forwarded-For sets the client address: only behind a reverse proxy the operator runs. */
  @IsOptional() @IsIn(['true', 'false'], { message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY: string = 'false';

  /** Processes serving HTTP on the same port (node:cluster); 1 keeps a single process. */
  @IsOptional() @IsInt({ message: 'APP_WORKERS must be a whole number' }) @Min(1) @Max(64)
  APP_WORKERS: number = 1;
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
    trustProxy: env.TRUST_PROXY === 'true',
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
