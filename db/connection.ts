import fs from 'node:fs';
import path from 'node:path';
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

/**
 * PostgreSQL when DATABASE_URL is set, PGlite (real Postgres compiled to WASM) in the data folder otherwise.
 * Same SQL, same migrations: only the driver differs.
 */
export function createDb(config: Pick<Config, 'database'>): Knex {
  if (config.database.url) {
    return knex({
      client: 'pg',
      connection: config.database.url,
      pool: { min: 0, max: config.database.poolMax },
      migrations: migrationConfig,
    });
  }
  fs.mkdirSync(path.dirname(config.database.pgliteDir), { recursive: true });
  return knex({
    client: ClientPgLite,
    dialect: 'postgres',
    connection: { filename: config.database.pgliteDir },
    migrations: migrationConfig,
  } as Knex.Config);
}

/** Binds objection models to this knex instance (one database per process). */
export function bindModels(db: Knex): void {
  Model.knex(db);
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}
