import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  pid: number;
  /** Everything the process printed so far (JSON log lines). */
  output(): string;
  /** SIGKILL to the whole process group: no shutdown hook runs, in-flight activities just vanish. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

/**
 * The real worker entry point (`temporal/worker-main.ts`, what `npm run worker` runs) as a separate process, so
 * a test can kill it the way an OOM killer or a lost machine would. Resolves once it logs "workers started".
 */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    [path.join(repoRoot, 'temporal/worker-main.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const started = Date.now();
  while (!output.includes('workers started')) {
    if (child.exitCode !== null) throw new Error(`worker process exited early:\n${output}`);
    if (Date.now() - started > timeoutMs) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`worker process did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const signalGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    await exited;
  };
  return {
    pid: child.pid!,
    output: () => output,
    kill: () => signalGroup('SIGKILL'),
    stop: () => signalGroup('SIGTERM'),
  };
}
