import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { appConfig, authConfig, databaseConfig, redisConfig, type AppConfig, type RedisConfig } from './config/index.js';
import { AllocationsModule } from './allocations/allocations.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CaissesModule } from './caisses/caisses.module.js';
import { ContributionsModule } from './contributions/contributions.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { queueSettings } from './database/app-role.js';
import { DatabaseModule } from './database/database.module.js';
import { GovernanceModule } from './governance/governance.module.js';
import { HealthModule } from './health/health.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { MembersModule } from './members/members.module.js';
import { OutletsModule } from './outlets/outlets.module.js';
import { PurchasesModule } from './purchases/purchases.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { SettlementsModule } from './settlements/settlements.module.js';
import { WebModule } from './web/web.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, databaseConfig, redisConfig, authConfig] }),
    DatabaseModule,
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const redis = config.getOrThrow<RedisConfig>('redis');
        // maxRetriesPerRequest: null — bull's own commands wait for Redis to come back instead of failing after ~20
        // reconnection attempts (which would stop a worker's loop for good); requests never wait on them, since
        // QueueSchedules.add refuses while the connection is down and times out otherwise. Reconnection is tried at
        // least every 2 s (bull's default backs off to 20 s), so a restarted Redis is noticed and re-seeded quickly.
        return {
          url: redis.url,
          redis: { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 100, 2000) },
          prefix: `${redis.prefix}:bull`,
          // APP_ROLE=api: the queues take no job here (jobs are still added, schedules still kept); see app-role.ts.
          settings: queueSettings(config.getOrThrow<AppConfig>('app').role, redis.lockSeconds),
        };
      },
    }),
    IdempotencyModule,
    AuditModule,
    AuthModule,
    LedgerModule,
    CaissesModule,
    MembersModule,
    OutletsModule,
    ContributionsModule,
    PurchasesModule,
    AllocationsModule,
    SettlementsModule,
    ReconciliationModule,
    GovernanceModule,
    ReportingModule,
    HealthModule,
    WebModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
})
export class AppModule {}
