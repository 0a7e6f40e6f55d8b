import { AppEnv } from './app.config.js';
import { AuthEnv } from './auth.config.js';
import { DatabaseEnv } from './database.config.js';
import { PinEnv } from './pin.config.js';
import { RedisEnv } from './redis.config.js';
import { ConfigError, envProblems } from './validate-env.js';

/**
 * Every variable of every namespace at once, before anything starts: main.ts calls it first, so a typo in PORT neither
 * boots an embedded PostgreSQL for nothing nor hides behind Nest's stack trace, and all bad variables show together.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const problems = [AppEnv, DatabaseEnv, RedisEnv, AuthEnv, PinEnv].flatMap((cls) => envProblems(cls as new () => object, env));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}
