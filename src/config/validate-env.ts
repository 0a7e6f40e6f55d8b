import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|KEYS?$/;

/** How a bad value is shown: secrets never, and a URL without the password it may carry. */
export function shownValue(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return '(unset)';
  if (SECRET_NAME.test(name)) return '***';
  return JSON.stringify(raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/i, '$1:***@'));
}

/** One line per bad variable: `NAME=value: what is wrong`. Empty when the environment suits the class. */
export function envProblems<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): string[] {
  return read(cls, env).problems;
}

function read<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): { instance: T; problems: string[] } {
  // `PORT=` in an .env file or `${VAR:-}` in compose means "not set": the default applies rather than a failure.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const instance = plainToInstance(cls, given, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  const problems = errors.map((e) => `${e.property}=${shownValue(e.property, env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  return { instance, problems };
}

/**
 * Reads the variables a config class declares from the environment and fails at boot with a sentence
 * that names each bad variable and its value, so an operator can fix the .env without reading code.
 */
export function validateEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const { instance, problems } = read(cls, env);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return instance;
}
