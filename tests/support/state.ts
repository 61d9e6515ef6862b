import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What global setup started, so teardown can stop it (setup and teardown share no module state). */
export interface TestState {
  adminUrl: string;
  dbName: string;
  temporal?: { pid: number; address: string; dataDir: string };
}

const stateFile = path.join(os.tmpdir(), `hopflow-test-state-${process.pid}.json`);

export function writeTestState(state: TestState): void {
  fs.writeFileSync(stateFile, JSON.stringify(state));
}

export function readTestState(): TestState {
  return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as TestState;
}

export function clearTestState(): void {
  fs.rmSync(stateFile, { force: true });
}
