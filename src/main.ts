import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { checkEnvironment, ConfigError, type AppConfig } from './config/index.js';
import { ensureInfrastructure, type Infrastructure } from './database/embedded/infrastructure.js';
import { EmbeddedPostgresUnavailable } from './database/embedded/embedded-postgres.js';
import { RedisUnavailable } from './database/embedded/embedded-redis.js';

async function main(): Promise<void> {
  const json = process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'json' : process.env.NODE_ENV === 'production';
  const logger = new ConsoleLogger('Caisse', { json, colors: !json && Boolean(process.stdout.isTTY) });
  let infra: Infrastructure | undefined;
  let app: NestExpressApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, stopping`);
    await app?.close().catch((e) => logger.error(`closing the app: ${(e as Error).message}`));
    await infra?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    checkEnvironment(process.env);
    infra = await ensureInfrastructure(process.env, (m) => logger.log(m));
    app = await NestFactory.create<NestExpressApplication>(AppModule, { logger, bodyParser: false, abortOnError: false });
    configureApp(app);
    // The validated value: `PORT=abc` was refused above, and an empty PORT means the default, not a random port.
    const { port } = app.get(ConfigService).getOrThrow<AppConfig>('app');
    await app.listen(port, process.env.HOST || '0.0.0.0');
    logger.log(`caisse service ready on http://localhost:${port} (health: /api/health, API docs: /api/docs)`);
  } catch (e) {
    const known = e instanceof ConfigError || e instanceof RedisUnavailable || e instanceof EmbeddedPostgresUnavailable;
    logger.error(known ? (e as Error).message : `start failed: ${(e as Error).stack ?? e}`);
    await app?.close().catch(() => undefined);
    await infra?.stop();
    process.exit(1);
  }
}

void main();
