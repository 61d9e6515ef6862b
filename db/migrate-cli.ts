import type { Knex } from 'knex';
import { loadConfigOrExit } from '../lib/config';
import { createDb, migrateLatest, migrationsDir } from './connection';

/**
 * `tsx db/migrate-cli.ts latest|rollback-all|status` against the configured database
 * (DATABASE_URL, else PGlite in the data folder).
 */
const migratorConfig: Knex.MigratorConfig = {
  directory: migrationsDir,
  loadExtensions: ['.ts', '.js'],
  tableName: 'knex_migrations',
};

const commands: Record<string, (db: Knex) => Promise<void>> = {
  async latest(db) {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Applied:\n  ${applied.join('\n  ')}` : 'Already up to date.');
  },
  async 'rollback-all'(db) {
    const [, reverted] = (await db.migrate.rollback(migratorConfig, true)) as [number, string[]];
    console.log(reverted.length ? `Rolled back:\n  ${reverted.join('\n  ')}` : 'Nothing to roll back.');
  },
  async status(db) {
    const [done, pending] = (await db.migrate.list(migratorConfig)) as [
      { name: string }[],
      { file: string }[],
    ];
    for (const m of done) console.log(`applied  ${m.name}`);
    for (const m of pending) console.log(`pending  ${m.file}`);
    console.log(`${done.length} applied, ${pending.length} pending`);
  },
};

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = commands[name];
  if (!command) {
    console.error(`usage: tsx db/migrate-cli.ts ${Object.keys(commands).join('|')}`);
    process.exit(64); // EX_USAGE
  }
  const config = loadConfigOrExit();
  const db = createDb(config);
  try {
    await command(db);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
