import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, Matches, Max, Min, MinLength, Validate } from 'class-validator';
import { derivedKid, jwtKeyring, PreviousSecretsConstraint } from './jwt-keys.js';
import { validateEnv } from './validate-env.js';

export class AuthEnv {
  @IsOptional() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** The `kid` of JWT_SECRET; derived from the secret when unset. */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'JWT_KEY_ID may hold 1-32 letters, digits, _ or -' })
  JWT_KEY_ID?: string;

  /** Retired signing keys still accepted until their tokens expire: `kid:secret,kid:secret`. */
  @IsOptional() @Validate(PreviousSecretsConstraint)
  JWT_PREVIOUS_SECRETS?: string;

  @IsOptional() @Matches(/^\d+[smhd]$/, { message: 'JWT_EXPIRES_IN must look like 900s, 15m, 2h or 1d' })
  JWT_EXPIRES_IN: string = '15m';

  @IsOptional() @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL: string = 'admin@caisse.local';

  @IsOptional() @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  LOGIN_MAX_ATTEMPTS: number = 5;

  @IsOptional() @IsInt() @Min(10) @Max(86400)
  LOGIN_WINDOW_SECONDS: number = 900;

  /** Password hashes (argon2) computed at once; each holds one of libuv's 4 worker threads, which the rest of the app shares. */
  @IsOptional() @IsInt({ message: 'ARGON2_CONCURRENCY must be a whole number' }) @Min(1) @Max(4)
  ARGON2_CONCURRENCY: number = 1;

  /** Password hashes waiting beyond that; more answer 503 BUSY at once rather than waiting without bound. */
  @IsOptional() @IsInt({ message: 'ARGON2_QUEUE must be a whole number' }) @Min(0) @Max(1000)
  ARGON2_QUEUE: number = 32;
}

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv);
  // main.ts persists a generated secret under DATA_DIR when none is configured.
  if (!env.JWT_SECRET) throw new Error('JWT_SECRET is not set');
  const current = { kid: env.JWT_KEY_ID ?? derivedKid(env.JWT_SECRET), secret: env.JWT_SECRET };
  return {
    /** The current signing secret (also keys QR codes and ballot seals elsewhere). */
    jwtSecret: env.JWT_SECRET,
    /** Current key first: it signs; every key verifies the tokens that name its kid. */
    jwtKeys: jwtKeyring(current, env.JWT_PREVIOUS_SECRETS),
    jwtExpiresIn: env.JWT_EXPIRES_IN,
    adminEmail: env.ADMIN_EMAIL.toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD,
    loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: env.LOGIN_WINDOW_SECONDS,
    argon2Concurrency: env.ARGON2_CONCURRENCY,
    argon2Queue: env.ARGON2_QUEUE,
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
