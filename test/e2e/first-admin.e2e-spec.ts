import { Test } from '@nestjs/testing';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import pg from 'pg';
import { AppModule } from '../../src/app.module.js';
import { freshDatabase, startApp } from '../support/test-app.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-env.js';

/** Keeps what the app logs, so the generated password can be read back as an operator would from the console. */
class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  private push(level: string, message: unknown) {
    this.lines.push({ level, message: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  log(message: unknown) {
    this.push('log', message);
  }
  warn(message: unknown) {
    this.push('warn', message);
  }
  error(message: unknown) {
    this.push('error', message);
  }
  debug(message: unknown) {
    this.push('debug', message);
  }
  verbose(message: unknown) {
    this.push('verbose', message);
  }
  fatal(message: unknown) {
    this.push('fatal', message);
  }
  generatedPasswords(): string[] {
    return this.lines.flatMap((l) => [...l.message.matchAll(/generated password: ([A-Za-z0-9_-]+)/g)].map((m) => m[1]));
  }
}

async function boot(logger: LoggerService): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  return startApp(moduleRef, logger);
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Failed logins are counted in the worker's Redis under the admin's email, which the other test files log in with:
 * every failure here is followed by a success (which clears that count), and they come from an address of their own.
 */
const login = (app: NestFastifyApplication, password: string) =>
  request(app.getHttpServer()).post('/api/v1/auth/login').set('X-Forwarded-For', '198.19.0.1').send({ email: ADMIN_EMAIL, password });

describe('first platform admin (e2e)', () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD };
  const databases: Awaited<ReturnType<typeof freshDatabase>>[] = [];
  const apps: NestFastifyApplication[] = [];

  const restoreEnv = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };

  beforeAll(() => {
    expect(saved.DATABASE_URL).toEqual(expect.any(String));
    expect(saved.ADMIN_PASSWORD).toBe(ADMIN_PASSWORD);
  });
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
    restoreEnv();
  });
  afterAll(async () => {
    restoreEnv();
    for (const db of databases) await db.drop();
    expect(process.env.DATABASE_URL).toBe(saved.DATABASE_URL);
    expect(process.env.ADMIN_PASSWORD).toBe(saved.ADMIN_PASSWORD);
  });

  it('creates one platform admin with a generated password, logged once, and no second one on the next boot', async () => {
    const db = await freshDatabase();
    databases.push(db);
    expect(await query(db.url, 'SELECT 1 FROM users')).toHaveLength(0);
    process.env.DATABASE_URL = db.url;
    delete process.env.ADMIN_PASSWORD;

    const firstLog = new CapturingLogger();
    const first = await boot(firstLog);
    apps.push(first);
    const users = await query<{ email: string; platform_admin: boolean; password_hash: string }>(db.url, 'SELECT email, platform_admin, password_hash FROM users');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: ADMIN_EMAIL, platform_admin: true });

    const passwords = firstLog.generatedPasswords();
    expect(passwords).toHaveLength(1);
    const [password] = passwords;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(users[0].password_hash).not.toContain(password);
    expect(firstLog.lines.find((l) => l.message.includes(password))?.level).toBe('warn');

    const ok = await login(first, password);
    expect(ok.status).toBe(200);
    const me = await request(first.getHttpServer()).get('/api/v1/auth/me').set('Authorization', `Bearer ${ok.body.accessToken}`);
    expect(me.body).toMatchObject({ kind: 'user', email: ADMIN_EMAIL, platformAdmin: true });
    expect((await login(first, ADMIN_PASSWORD)).status).toBe(401);
    // The admin can do what only the platform admin may.
    const caisse = await request(first.getHttpServer())
      .post('/api/v1/caisses')
      .set('Authorization', `Bearer ${ok.body.accessToken}`)
      .send({ name: 'Première caisse', slug: 'premiere-caisse' });
    expect(caisse.status).toBe(201);
    await apps.pop()!.close();

    const secondLog = new CapturingLogger();
    const second = await boot(secondLog);
    apps.push(second);
    expect(await query(db.url, 'SELECT 1 FROM users')).toHaveLength(1);
    expect(secondLog.generatedPasswords()).toEqual([]);
    expect(secondLog.lines.map((l) => l.message).join('\n')).not.toContain(password);
    expect((await login(second, password)).status).toBe(200);
  });

  it('keeps the existing admin when ADMIN_PASSWORD is set later', async () => {
    const db = await freshDatabase();
    databases.push(db);
    process.env.DATABASE_URL = db.url;
    delete process.env.ADMIN_PASSWORD;
    const log = new CapturingLogger();
    apps.push(await boot(log));
    const [password] = log.generatedPasswords();
    expect(password).toEqual(expect.any(String));
    await apps.pop()!.close();

    process.env.ADMIN_PASSWORD = 'a-later-admin-password';
    const app = await boot(new CapturingLogger());
    apps.push(app);
    expect(await query(db.url, 'SELECT 1 FROM users')).toHaveLength(1);
    expect((await login(app, 'a-later-admin-password')).status).toBe(401);
    expect((await login(app, password)).status).toBe(200);
  });

  it('uses ADMIN_PASSWORD when it is set, and logs no password', async () => {
    const db = await freshDatabase();
    databases.push(db);
    process.env.DATABASE_URL = db.url;
    process.env.ADMIN_PASSWORD = 'chosen-admin-password';
    const log = new CapturingLogger();
    const app = await boot(log);
    apps.push(app);
    expect(await query(db.url, 'SELECT 1 FROM users WHERE platform_admin')).toHaveLength(1);
    expect(log.generatedPasswords()).toEqual([]);
    expect(log.lines.map((l) => l.message).join('\n')).not.toContain('chosen-admin-password');
    expect((await login(app, 'chosen-admin-password')).status).toBe(200);
  });

  it('creates a single admin when two instances start together on an empty database', async () => {
    const db = await freshDatabase();
    databases.push(db);
    process.env.DATABASE_URL = db.url;
    delete process.env.ADMIN_PASSWORD;
    const log = new CapturingLogger();
    const results = await Promise.allSettled([boot(log), boot(log)]);
    for (const r of results) if (r.status === 'fulfilled') apps.push(r.value);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await query(db.url, 'SELECT 1 FROM users')).toHaveLength(1);
    const passwords = log.generatedPasswords();
    expect(passwords).toHaveLength(1);
    for (const app of apps) expect((await login(app, passwords[0])).status).toBe(200);
  });
});
