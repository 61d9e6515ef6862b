import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import ClientPgLite from 'knex-pglite';
import { pgliteExtensions } from './db/connection';
import { loadConfigOrExit } from './lib/config';

// For the knex CLI (`npx knex migrate:latest --knexfile knexfile.ts`). The app itself uses db/connection.ts.
const config = loadConfigOrExit();
// One PGlite instance with the extensions the migrations create (as db/connection.ts opens it).
const pglite = config.database.url
  ? null
  : new PGlite(config.database.pgliteDir, { extensions: pgliteExtensions });

export default config.database.url
  ? {
      client: 'pg',
      connection: config.database.url,
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    }
  : {
      client: ClientPgLite,
      dialect: 'postgres',
      connection: () => ({ pglite }),
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    };
