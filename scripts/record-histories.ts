/**
 * Records the saved workflow histories the replay test uses (tests/replay/histories/<workflowType>.json): one
 * real, completed run of every workflow, on a fresh test database, a Temporal dev server and the sandboxes,
 * by running tests/replay/record-histories.spec.ts with the integration suite's global setup.
 *
 *   npx tsx scripts/record-histories.ts                       # every workflow
 *   RECORD_ONLY=contentPipelineWorkflow npx tsx scripts/record-histories.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const config = {
  rootDir: root,
  testTimeout: 300_000,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testMatch: ['<rootDir>/tests/replay/record-histories.spec.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
};

const result = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--runInBand'],
  { cwd: root, stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);
