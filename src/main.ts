import 'reflect-metadata';
import cluster from 'node:cluster';
import { ConsoleLogger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, httpAdapter } from './app.setup.js';
import { checkEnvironment, ConfigError, type AppConfig } from './config/index.js';
import { ensureInfrastructure, type Infrastructure } from './database/embedded/infrastructure.js';
import { MIGRATED_ENV, migrateOnce } from './database/migrate.js';
import { EmbeddedPostgresUnavailable } from './database/embedded/embedded-postgres.js';
import { RedisUnavailable } from './database/embedded/embedded-redis.js';

/** How long the primary waits for its workers to finish their requests before stopping the embedded servers. */
const WORKERS_STOP_MS = 15_000;

async function main(): Promise<void> {
  const json = process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'json' : process.env.NODE_ENV === 'production';
  const logger = new ConsoleLogger(cluster.isPrimary ? 'Caisse' : `Caisse#${cluster.worker?.id}`, { json, colors: !json && Boolean(process.stdout.isTTY) });
  const workers = Number(process.env.APP_WORKERS || 1);
  if (cluster.isPrimary && workers > 1) return primary(workers, logger);
  let infra: Infrastructure | undefined;
  let app: NestFastifyApplication | undefined;
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
    app = await NestFactory.create<NestFastifyApplication>(AppModule, httpAdapter(), { logger, bodyParser: false, abortOnError: false });
    await configureApp(app);
    // The validated value: `PORT=abc` was refused above, and an empty PORT means the default, not a random port.
    const { port, role } = app.get(ConfigService).getOrThrow<AppConfig>('app');
    await app.listen(port, process.env.HOST || '0.0.0.0');
    if (role === 'worker') logger.log(`caisse queue worker ready (APP_ROLE=worker; health only on http://localhost:${port}/api/health)`);
    else logger.log(`caisse service ready on http://localhost:${port} (APP_ROLE=${role}; health: /api/health, API docs: /api/docs)`);
  } catch (e) {
    const known = e instanceof ConfigError || e instanceof RedisUnavailable || e instanceof EmbeddedPostgresUnavailable;
    logger.error(known ? (e as Error).message : `start failed: ${(e as Error).stack ?? e}`);
    await app?.close().catch(() => undefined);
    await infra?.stop();
    process.exit(1);
  }
}

/**
 * APP_WORKERS > 1: this process starts the embedded servers if needed, migrates once, then runs that many workers on
 * the same port (node:cluster) and replaces any that dies. Workers share nothing but the database and Redis, which is
 * all the app relies on, as with several instances behind a load balancer.
 */
async function primary(workers: number, logger: ConsoleLogger): Promise<void> {
  let infra: Infrastructure | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${reason}: stopping ${workers} workers`);
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    await Promise.race([
      Promise.all(alive.map((w) => new Promise((done) => (w!.isDead() ? done(undefined) : (w!.once('exit', done), w!.process.kill('SIGTERM')))))),
      new Promise((done) => setTimeout(done, WORKERS_STOP_MS)),
    ]);
    await infra?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT received'));
  process.on('SIGTERM', () => void shutdown('SIGTERM received'));
  try {
    checkEnvironment(process.env);
    infra = await ensureInfrastructure(process.env, (m) => logger.log(m));
    await migrateOnce(process.env.DATABASE_URL!);
  } catch (e) {
    const known = e instanceof ConfigError || e instanceof RedisUnavailable || e instanceof EmbeddedPostgresUnavailable;
    logger.error(known ? (e as Error).message : `start failed: ${(e as Error).stack ?? e}`);
    await infra?.stop();
    process.exit(1);
  }
  process.env[MIGRATED_ENV] = '1';
  let restarts = 0;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error(`worker ${worker.id} stopped (${signal ?? `exit ${code}`}); starting another`);
    // A worker that cannot even start (bad configuration) would loop: give up after as many failures as workers.
    if (++restarts > workers * 3) void shutdown('workers keep failing', 1);
    else setTimeout(() => cluster.fork(), 1000);
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  logger.log(`${workers} workers starting`);
}

void main();
