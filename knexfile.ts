import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import ClientPgLite from 'knex-pglite';
import { loadConfigOrExit } from './lib/config';

// For the knex CLI (`npx knex migrate:latest --knexfile knexfile.ts`). The app itself uses db/connection.ts.
const config = loadConfigOrExit();
// One PGlite instance with the extensions the migrations create (the same as db/connection.ts loads).
const pglite = config.database.url
  ? null
  : new PGlite(config.database.pgliteDir, { extensions: { pg_trgm } });

export default config.database.url
  ? {
      client: 'pg',
      connection: config.database.url,
      // No parameters in error messages (see db/connection.ts).
      compileSqlOnError: false,
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    }
  : {
      client: ClientPgLite,
      dialect: 'postgres',
      connection: () => ({ pglite }),
      compileSqlOnError: false,
      migrations: { directory: path.join(__dirname, 'db/migrations'), loadExtensions: ['.ts'] },
    };
