import knex from 'knex';
import { createDb, migrateLatest } from '../../db/connection';
import { loadConfig } from '../../lib/config';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import { writeTestState, type TestState } from './state';
import { startTestTemporal } from './temporal';

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every run gets a fresh PostgreSQL database (migrated), an empty Redis database and a Temporal dev server. */
export default async function globalSetup(): Promise<void> {
  const dbName = `hopflow_test_${Date.now()}_${process.pid}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  try {
    await admin.raw(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  process.env.JWT_SECRET = process.env.JWT_SECRET ?? 'test-secret-test-secret-test-secret-0123456789';
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
  // Every test registers and refreshes from 127.0.0.1: per-address limits stay out of the way unless a test
  // passes its own (createTestApi({ limits })).
  for (const name of ['REGISTER', 'REGISTER_CONFIRM', 'REFRESH', 'PUBLIC_LINK', 'WEBHOOK'])
    process.env[`${name}_LIMIT_PER_IP`] = process.env[`${name}_LIMIT_PER_IP`] ?? '1000000';
  process.env.HOPFLOW_DATA_DIR = process.env.HOPFLOW_DATA_DIR ?? `/tmp/hopflow-test-${process.pid}`;

  const db = createDb(loadConfig());
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }

  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  await redis.flushdb();
  redis.disconnect();

  // The Postmark sandbox on a free port (never a developer's 4703): the platform's account emails of every test
  // app go there (registerUser reads the confirmation link from it), and so does team mail of tests that do not
  // start a sandbox of their own. It lives in this process until global teardown.
  const postmark = await startPostmarkSandbox({ port: 0 });
  process.env.POSTMARK_SANDBOX_PORT = String(postmark.port);
  (globalThis as { hopflowTestPostmark?: { close(): Promise<void> } }).hopflowTestPostmark = postmark;

  const state: TestState = { adminUrl, dbName };
  const temporal = await startTestTemporal();
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.TEMPORAL_NAMESPACE = 'default';
  if (temporal.pid !== undefined && temporal.dataDir !== undefined) {
    state.temporal = { pid: temporal.pid, address: temporal.address, dataDir: temporal.dataDir };
  }
  writeTestState(state);
}
