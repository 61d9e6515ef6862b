import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { Model } from 'objection';
import type { Config } from '../lib/config';

export const migrationsDir = path.join(__dirname, 'migrations');

const migrationConfig: Knex.MigratorConfig = {
  directory: migrationsDir,
  loadExtensions: ['.ts', '.js'],
  tableName: 'knex_migrations',
};

export interface DbOptions {
  /**
   * PostgreSQL cancels any statement of this connection pool running longer (error 57014, which the API answers
   * with 503). For the API's pool only: the worker's batch activities and migrations must not be cut. 0 or unset:
   * no limit. PGlite ignores it (one WASM thread in this process: nothing can interrupt a running statement).
   */
  statementTimeoutMs?: number;
}

/**
 * knex puts the failed statement into the error's message, by default with its parameters filled in (contact
 * addresses, email bodies): such a message ends up in logs, stored errors and Temporal history. Without them,
 * the message holds the statement's text (placeholders only) and PostgreSQL's own words.
 */
const noBindingsInErrors = { compileSqlOnError: false } as const;

/** The extensions PGlite loads besides plain PostgreSQL (their migrations create them, as on a real server). */
const pgliteExtensions = { pg_trgm };

/**
 * PostgreSQL when DATABASE_URL is set, PGlite (real Postgres compiled to WASM) in the data folder otherwise.
 * Same SQL, same migrations: only the driver differs.
 */
export function createDb(
  config: { database: Omit<Config['database'], 'statementTimeoutMs'> },
  opts: DbOptions = {},
): Knex {
  if (config.database.url) {
    return knex({
      client: 'pg',
      connection: {
        connectionString: config.database.url,
        // Sent with the connection's startup packet, so every session of the pool has it from its first query.
        ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
      },
      pool: { min: 0, max: config.database.poolMax },
      migrations: migrationConfig,
      ...noBindingsInErrors,
    });
  }
  fs.mkdirSync(path.dirname(config.database.pgliteDir), { recursive: true });
  // Our own instance, so it loads the extensions (knex-pglite would open a bare one from a filename). A function
  // rather than an object: knex deep-copies connection objects, and this one must stay the single instance.
  const pglite = new PGlite(config.database.pgliteDir, { extensions: pgliteExtensions });
  return knex({
    client: PgLiteClient,
    dialect: 'postgres',
    connection: () => ({ pglite }),
    migrations: migrationConfig,
    ...noBindingsInErrors,
  } as Knex.Config);
}

/**
 * knex-pglite names a response's command after knex's method, so `del` and `counter` (increment) come back as
 * "DEL" and "COUNTER", which knex's PostgreSQL dialect does not know: a delete answered its raw result object
 * instead of the row count. Naming them DELETE and UPDATE gives the counts PostgreSQL itself gives.
 */
type ResponseProcessor = { processResponse(obj: { method?: string }, runner: unknown): unknown };
class PgLiteClient extends ClientPgLite {
  processResponse(obj: { method?: string }, runner: unknown): unknown {
    const method = obj.method === 'del' ? 'delete' : obj.method === 'counter' ? 'update' : obj.method;
    // The dialect's method is missing from knex's Client typings.
    const base = ClientPgLite.prototype as unknown as ResponseProcessor;
    return base.processResponse.call(this, { ...obj, method }, runner);
  }
}

/** Binds objection models to this knex instance (one database per process). */
export function bindModels(db: Knex): void {
  Model.knex(db);
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}
