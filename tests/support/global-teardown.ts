import knex from 'knex';
import { clearTestState, readTestState } from './state';
import { stopTestTemporal } from './temporal';

export default async function globalTeardown(): Promise<void> {
  const state = readTestState();
  await (globalThis as { hopflowTestPostmark?: { close(): Promise<void> } }).hopflowTestPostmark?.close();
  await stopTestTemporal(state.temporal);
  if (process.env.KEEP_TEST_DB !== '1') {
    const admin = knex({ client: 'pg', connection: state.adminUrl });
    try {
      await admin.raw(`DROP DATABASE IF EXISTS ${state.dbName} WITH (FORCE)`);
    } finally {
      await admin.destroy();
    }
  }
  clearTestState();
}
