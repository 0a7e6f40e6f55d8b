import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AuthConfig, RedisConfig } from '../config/index.js';
import { AuditModule } from '../audit/audit.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { ApiKey } from './entities/api-key.entity.js';
import { User } from './entities/user.entity.js';
import { UserRole } from './entities/user-role.entity.js';
import { JwtKeyring } from './jwt-keyring.service.js';
import { createThrottleRedis, LoginThrottle, THROTTLE_REDIS } from './login-throttle.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { TERMINAL_KEYS } from './terminal-keys.types.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, UserRole, ApiKey]),
    AuditModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      // JwtKeyring passes the key per call; these defaults only pin the algorithm for any other caller.
      useFactory: (config: ConfigService) => {
        const [current] = config.getOrThrow<AuthConfig>('auth').jwtKeys;
        return { secret: current.secret, signOptions: { algorithm: 'HS256', keyid: current.kid }, verifyOptions: { algorithms: ['HS256'] } };
      },
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthService,
    UsersService,
    ApiKeysService,
    LoginThrottle,
    {
      provide: THROTTLE_REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const redis = config.getOrThrow<RedisConfig>('redis');
        return createThrottleRedis(redis.url, redis.prefix);
      },
    },
    PasswordHasher,
    JwtKeyring,
    { provide: APP_GUARD, useClass: AuthGuard },
    // Outlets list and revoke their terminals' keys through this port (terminal-keys.types.ts), not auth's internals.
    { provide: TERMINAL_KEYS, useExisting: ApiKeysService },
  ],
  exports: [AuthService, TERMINAL_KEYS],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly auth: AuthService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.auth.ensureFirstAdmin();
  }
}
