import { AppEnv } from './app.config.js';
import { AuthEnv } from './auth.config.js';
import { checkEnvironment } from './check-env.js';
import { DatabaseEnv } from './database.config.js';
import { PinEnv } from './pin.config.js';
import { RedisEnv } from './redis.config.js';
import { derivedKid, jwtKeyring, parsePreviousSecrets } from './jwt-keys.js';
import { parseTrustProxy } from './trust-proxy.js';
import { ConfigError, envProblems, shownValue, validateEnv } from './validate-env.js';

const messageOf = (work: () => unknown): string => {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('validateEnv', () => {
  it('applies the declared defaults to an empty environment', () => {
    const app = validateEnv(AppEnv, {});
    expect(app).toMatchObject({ PORT: 3000, NODE_ENV: 'development', BODY_LIMIT: '100kb', DATA_DIR: './.data' });
    expect(validateEnv(AuthEnv, {})).toMatchObject({ JWT_EXPIRES_IN: '15m', ADMIN_EMAIL: 'admin@caisse.local', LOGIN_MAX_ATTEMPTS: 5 });
    expect(validateEnv(DatabaseEnv, {})).toMatchObject({ DATABASE_POOL_SIZE: 20, EMBEDDED_PG_PORT: 54329 });
    expect(validateEnv(RedisEnv, {})).toMatchObject({ QUEUE_PREFIX: 'caisse', EMBEDDED_REDIS_PORT: 63799 });
  });

  it('converts numeric strings and keeps given values', () => {
    const app = validateEnv(AppEnv, { PORT: '8080', NODE_ENV: 'production', BODY_LIMIT: '1mb' });
    expect(app.PORT).toBe(8080);
    expect(app.NODE_ENV).toBe('production');
    expect(app.BODY_LIMIT).toBe('1mb');
  });

  it.each([
    ['PORT', 'abc', AppEnv],
    ['PORT', '70000', AppEnv],
    ['NODE_ENV', 'staging', AppEnv],
    ['BODY_LIMIT', 'lots', AppEnv],
    ['DATABASE_URL', 'mysql://db/x', DatabaseEnv],
    ['DATABASE_POOL_SIZE', '0', DatabaseEnv],
    ['REDIS_URL', 'localhost:6379', RedisEnv],
    ['QUEUE_PREFIX', 'has space', RedisEnv],
    ['JWT_EXPIRES_IN', 'forever', AuthEnv],
    ['ADMIN_EMAIL', 'not-an-email', AuthEnv],
    ['JWT_KEY_ID', 'has space', AuthEnv],
    ['ARGON2_CONCURRENCY', '0', AuthEnv],
    ['TRUST_PROXY', 'true', AppEnv],
    ['TRUST_PROXY', '10.0.0.0/33', AppEnv],
  ] as [string, string, new () => object][])('names %s=%j and its value', (name, value, cls) => {
    const message = messageOf(() => validateEnv(cls, { [name]: value }));
    expect(message).toContain(`${name}=${JSON.stringify(value)}`);
    // Only the bad variable is reported.
    expect(message.split('\n').filter((l) => l.trim()).length).toBe(2);
  });

  it('never prints a secret, only its name', () => {
    const secret = 'too-short-secret';
    const password = 'short';
    const message = messageOf(() => validateEnv(AuthEnv, { JWT_SECRET: secret, ADMIN_PASSWORD: password }));
    expect(message).toContain('JWT_SECRET=***');
    expect(message).toContain('JWT_SECRET must be at least 32 characters');
    expect(message).toContain('ADMIN_PASSWORD=***');
    expect(message).not.toContain(secret);
    expect(message).not.toContain(`"${password}"`);
  });

  it('names a bad PIN_KEYS without printing the keys', () => {
    const keys = `k1:${'s'.repeat(31)}`;
    const message = messageOf(() => validateEnv(PinEnv, { PIN_KEYS: keys }));
    expect(message).toContain('PIN_KEYS=***');
    expect(message).toContain('PIN_KEYS must be id:secret');
    expect(message).not.toContain('sss');
    expect(envProblems(PinEnv, { PIN_KEYS: `k2:${'s'.repeat(32)},k1:${'t'.repeat(40)}` })).toEqual([]);
  });

  it('hides the password a connection URL carries', () => {
    const message = messageOf(() => validateEnv(DatabaseEnv, { DATABASE_URL: 'mysql://caisse:hunter2@db:3306/caisse' }));
    expect(message).toContain('DATABASE_URL="mysql://caisse:***@db:3306/caisse"');
    expect(message).not.toContain('hunter2');
    expect(shownValue('REDIS_URL', 'redis://:pw@host:6379')).toBe('"redis://:***@host:6379"');
    expect(shownValue('DATA_DIR', undefined)).toBe('(unset)');
  });

  it('treats an empty variable as unset, so the default applies', () => {
    expect(validateEnv(AppEnv, { PORT: '', DATA_DIR: '' })).toMatchObject({ PORT: 3000, DATA_DIR: './.data' });
    const auth = validateEnv(AuthEnv, { ADMIN_PASSWORD: '', JWT_SECRET: '' });
    expect(auth.ADMIN_PASSWORD).toBeUndefined();
    expect(auth.JWT_SECRET).toBeUndefined();
  });

  it('accepts a valid environment without complaint', () => {
    expect(envProblems(AuthEnv, { JWT_SECRET: 'x'.repeat(32), ADMIN_PASSWORD: 'long-enough-pw', JWT_EXPIRES_IN: '2h' })).toEqual([]);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['off', false],
    ['0', false],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.10,loopback', ['10.0.0.0/8', '192.168.1.10', 'loopback']],
    ['fd00::/8', ['fd00::/8']],
    ['true', undefined],
    ['all', undefined],
    ['11', undefined],
    ['example.org', undefined],
    ['10.0.0.1/8/2', undefined],
  ])('%j reads as %j', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });

  it('is off by default', () => {
    expect(validateEnv(AppEnv, {}).TRUST_PROXY).toBe('off');
  });
});

describe('JWT keys', () => {
  const current = { kid: 'k2', secret: 'c'.repeat(32) };

  it('reads previous secrets with their ids, or derives an id from a bare secret', () => {
    const bare = 'b'.repeat(40);
    expect(parsePreviousSecrets(`k1:${'a'.repeat(32)}, ${bare}`)).toEqual({
      keys: [{ kid: 'k1', secret: 'a'.repeat(32) }, { kid: derivedKid(bare), secret: bare }],
      problems: [],
    });
    expect(derivedKid(bare)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(derivedKid(bare)).not.toBe(derivedKid('a'.repeat(40)));
  });

  it('refuses a short previous secret without printing it', () => {
    const message = messageOf(() => validateEnv(AuthEnv, { JWT_PREVIOUS_SECRETS: 'k1:tooshort' }));
    expect(message).toContain('JWT_PREVIOUS_SECRETS=***');
    expect(message).toContain('entry 1');
    expect(message).not.toContain('tooshort');
  });

  it('puts the current key first and refuses a kid used twice', () => {
    expect(jwtKeyring(current, `k1:${'a'.repeat(32)}`).map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(() => jwtKeyring(current, `k2:${'a'.repeat(32)}`)).toThrow(ConfigError);
  });
});

describe('checkEnvironment', () => {
  it('reports the bad variables of every namespace at once', () => {
    const message = messageOf(() => checkEnvironment({ PORT: 'abc', REDIS_URL: 'nope', JWT_SECRET: 'short' }));
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain('PORT="abc"');
    expect(message).toContain('REDIS_URL="nope"');
    expect(message).toContain('JWT_SECRET=***');
  });

  it('passes an environment with nothing set (embedded mode fills the rest in)', () => {
    expect(() => checkEnvironment({})).not.toThrow();
  });
});
