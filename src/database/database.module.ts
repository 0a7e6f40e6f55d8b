import { Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/index.js';
import { dataSourceOptions } from './data-source.js';
import { MIGRATED_ENV } from './migrate.js';
import { installPreparedStatements } from './prepared.js';
import { ReadReplica } from './read-replica.js';
import { RedisModule } from './redis.module.js';
import { TransactionHost } from './transaction.js';

/** Turns the marked hot queries into named prepared statements on every connection (see prepared.ts). */
@Injectable()
class PreparedStatements implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    installPreparedStatements(this.dataSource);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService) => {
        const db = config.getOrThrow<DatabaseConfig>('database');
        // TypeORM opens a connection to each replica at start and fails the whole start when one does not answer: a
        // dead replica must not stop the service, so it is left out then (ReadReplica reports it down).
        const replicaUrl = db.replicaUrl && (await answers(db.replicaUrl)) ? db.replicaUrl : undefined;
        // Migrations run when the connection opens, before any module can query (in a cluster, by the primary first).
        return { ...dataSourceOptions(db.url, db.poolSize, replicaUrl), migrationsRun: process.env[MIGRATED_ENV] !== '1', autoLoadEntities: true };
      },
    }),
    RedisModule,
  ],
  providers: [TransactionHost, ReadReplica, PreparedStatements],
  exports: [RedisModule, TransactionHost, ReadReplica],
})
export class DatabaseModule {}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (e) {
    new Logger('ReadReplica').warn(`DATABASE_REPLICA_URL does not answer (${(e as Error).message}): every read goes to the primary until a restart`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
