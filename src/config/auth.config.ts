import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, Matches, Max, Min, MinLength } from 'class-validator';
import { validateEnv } from './validate-env.js';

export class AuthEnv {
  @IsOptional() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

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
}

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv);
  // main.ts persists a generated secret under DATA_DIR when none is configured.
  if (!env.JWT_SECRET) throw new Error('JWT_SECRET is not set');
  return {
    jwtSecret: env.JWT_SECRET,
    jwtExpiresIn: env.JWT_EXPIRES_IN,
    adminEmail: env.ADMIN_EMAIL.toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD,
    loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: env.LOGIN_WINDOW_SECONDS,
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
