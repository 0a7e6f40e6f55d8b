import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';

// For `npm run migration:run` / `migration:revert` (TypeORM CLI). The app itself migrates at start.
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL for the TypeORM CLI (npm start migrates the embedded database by itself).');
export default new DataSource(dataSourceOptions(url));
