import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DatabaseConfig } from '../config/index.js';
import { dataSourceOptions } from './data-source.js';
import { MIGRATED_ENV } from './migrate.js';
import { RedisModule } from './redis.module.js';
import { TransactionHost } from './transaction.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const db = config.getOrThrow<DatabaseConfig>('database');
        // Migrations run when the connection opens, before any module can query (in a cluster, by the primary first).
        return { ...dataSourceOptions(db.url, db.poolSize), migrationsRun: process.env[MIGRATED_ENV] !== '1', autoLoadEntities: true };
      },
    }),
    RedisModule,
  ],
  providers: [TransactionHost],
  exports: [RedisModule, TransactionHost],
})
export class DatabaseModule {}
