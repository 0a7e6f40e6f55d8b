import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the variables a config class declares from the environment and fails at boot with a sentence
 * that names each bad variable and its value, so an operator can fix the .env without reading code.
 */
export function validateEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const instance = plainToInstance(cls, { ...env }, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const raw = env[e.property];
      const shown = e.property.includes('SECRET') || e.property.includes('PASSWORD') ? '***' : JSON.stringify(raw);
      return `${e.property}=${raw === undefined ? '(unset)' : shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return instance;
}
