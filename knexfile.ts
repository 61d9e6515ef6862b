import path from 'node:path';
import ClientPgLite from 'knex-pglite';
import { loadConfigOrExit } from './lib/config';

// For the knex CLI (`npx knex migrate:latest --knexfile knexfile.ts`). The app itself uses db/connection.ts.
const config = loadConfigOrExit();

export default config.database.url
  ? {
      client: 'pg',
      connection: config.database.url,
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    }
  : {
      client: ClientPgLite,
      dialect: 'postgres',
      connection: { filename: config.database.pgliteDir },
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    };
