import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import pg from 'pg';
import { AppModule } from '../../src/app.module.js';
import { configureApp, httpAdapter } from '../../src/app.setup.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, assertTestDb, dbUrl, KEY_PREFIX, RUN_ID, TEMPLATE_DB } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  adminToken: string;
  login(email: string, password: string): Promise<string>;
  /** A new caisse with one user per role; returns their tokens. */
  newCaisse(): Promise<{ caisseId: string; tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string> }>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Variables set while the app builds (configuration is read at module init), restored afterwards — e.g. REDIS_URL. */
  env?: Record<string, string>;
  /** false: no admin login (adminToken is empty), for an app started while Redis — which the login limiter uses — is down. */
  login?: boolean;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // Each app gets its own Redis key space, so login-failure counters or queued jobs of one file never reach another.
  process.env.QUEUE_PREFIX = `${KEY_PREFIX}_w${process.env.JEST_WORKER_ID ?? '1'}_${randomUUID().slice(0, 8)}`;
  const saved = Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
  Object.assign(process.env, options.env);
  let app: NestFastifyApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = await startApp(moduleRef);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  // One listening socket for the whole file and a bounded keep-alive pool: a storm of 1,000 requests queues in the
  // agent instead of opening 1,000 connections (or 1,000 ephemeral servers) that a loaded machine resets.
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const http = pooled(request(server), agent);
  const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

  const login = async (email: string, password: string) => {
    const res = await request(server).post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  const adminToken = options.login === false ? '' : await login(ADMIN_EMAIL, ADMIN_PASSWORD);

  const newCaisse: TestApp['newCaisse'] = async () => {
    const slug = `c-${randomUUID().slice(0, 12)}`;
    const created = await request(server).post('/api/v1/caisses').set('Authorization', `Bearer ${adminToken}`).send({ name: `Caisse ${slug}`, slug });
    if (created.status !== 201) throw new Error(`caisse creation failed: ${created.status} ${JSON.stringify(created.body)}`);
    const caisseId = created.body.id as string;
    const tokens = {} as Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
    for (const role of ['admin', 'treasurer', 'committee', 'cashier', 'member'] as const) {
      const email = `${role}-${slug}@test.caisse`;
      const password = `password-${role}-123`;
      const res = await request(server)
        .post(`/api/v1/caisses/${caisseId}/users`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ email, password, role });
      if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens[role] = await login(email, password);
    }
    return { caisseId, tokens };
  };

  return {
    app,
    http,
    adminToken,
    login,
    newCaisse,
    sql: async (text, params) => (await db.query(text, params)).rows,
    close: async () => {
      await db.end();
      agent.destroy();
      await app.close();
    },
  };
}

/** supertest's request factory, every request of which goes through the given agent. */
function pooled(base: ReturnType<typeof request>, agent: Agent): ReturnType<typeof request> {
  return new Proxy(base, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => { agent?: (a: Agent) => unknown }).apply(target, args);
        return typeof test?.agent === 'function' ? test.agent(agent) : test;
      };
    },
  });
}

/** The app of a compiled module, configured exactly as main.ts serves it, ready for supertest. */
export async function startApp(moduleRef: TestingModule, logger: LoggerService | LogLevel[] | false = ['error', 'warn']): Promise<NestFastifyApplication> {
  const app = moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(), { bodyParser: false, logger });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** A database of its own, cloned from the migrated template, for tests that need an empty one. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `caisse_test_${RUN_ID}_x_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  assertTestDb(name);
  const admin = new pg.Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
  await admin.end();
  return {
    url: dbUrl(name),
    drop: async () => {
      const c = new pg.Client({ connectionString: dbUrl('postgres') });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
