export { appConfig, type AppConfig, type AppRole } from './app.config.js';
export { authConfig, type AuthConfig } from './auth.config.js';
export { databaseConfig, type DatabaseConfig } from './database.config.js';
export { parsePinKeys, pinConfig, type PinConfig, type PinKey } from './pin.config.js';
export { redisConfig, type RedisConfig } from './redis.config.js';
export { checkEnvironment } from './check-env.js';
export { ConfigError, envProblems, validateEnv } from './validate-env.js';
export type { JwtKey } from './jwt-keys.js';
export type { TrustProxy } from './trust-proxy.js';
