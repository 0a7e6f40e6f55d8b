import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';

/** Set by the primary of a cluster once it has migrated, so its workers do not race to run the same migrations. */
export const MIGRATED_ENV = 'CAISSE_SCHEMA_MIGRATED';

/** Brings the schema up to date over one connection, then closes it. */
export async function migrateOnce(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await ds.destroy();
  }
}
