import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/**
 * The one definition of how the app reaches PostgreSQL, used by the Nest app, the TypeORM CLI and the tests.
 * `synchronize` is off everywhere: the schema comes only from the hand-checked migrations.
 */
export function dataSourceOptions(url: string, poolSize = 20, replicaUrl?: string): DataSourceOptions {
  return {
    type: 'postgres',
    // With a replica, TypeORM keeps a second pool; every query still goes to the primary unless a caller asks for a
    // 'slave' query runner (only ReadReplica does), since defaultMode 'master' also covers query-builder reads.
    ...(replicaUrl ? { replication: { master: { url }, slaves: [{ url: replicaUrl }], defaultMode: 'master' as const } } : { url }),
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    // The migrations create what the schema needs; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    entities: [],
    // Transactions open without a SET TRANSACTION round trip for the default level, so pin that default here
    // rather than trust the server's configuration.
    extra: { max: poolSize, options: '-c default_transaction_isolation=read\\ committed' },
    // Expected refusals (overdraft, retries on races) are answered as problems; TypeORM need not print them.
    logging: ['migration'],
  };
}
