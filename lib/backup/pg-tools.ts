import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';

/**
 * A libpq connection string without the password, plus the password for PGPASSWORD: the password never
 * appears on a command line (visible to every user through `ps`).
 */
export function splitDatabaseUrl(databaseUrl: string): { dbname: string; password: string | undefined } {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return { dbname: url.toString(), password };
}

function childEnv(password: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PGPASSWORD;
  if (password !== undefined) env.PGPASSWORD = password;
  return env;
}

class PgToolError extends Error {
  override name = 'PgToolError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

interface RunToolOptions {
  binary: string;
  args: string[];
  password: string | undefined;
  /** Called every `progressEveryMs` while the tool runs (e.g. to heartbeat). */
  onProgress?: () => void | Promise<void>;
  progressEveryMs?: number;
  signal?: AbortSignal;
}

async function runTool(opts: RunToolOptions): Promise<void> {
  const child = spawn(opts.binary, opts.args, {
    env: childEnv(opts.password),
    stdio: ['ignore', 'ignore', 'pipe'],
    signal: opts.signal,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    // Keep the tail: the last lines say why it failed.
    stderr = (stderr + chunk).slice(-8000);
  });
  const timer = opts.onProgress
    ? setInterval(
        () => void Promise.resolve(opts.onProgress?.()).catch(() => undefined),
        opts.progressEveryMs ?? 5000,
      )
    : undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      throw new PgToolError(
        `${opts.binary} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        code,
        stderr,
      );
    }
  } finally {
    if (timer) clearInterval(timer);
  }
}

export interface PgDumpOptions {
  pgDumpPath: string;
  databaseUrl: string;
  /** Where pg_dump writes (a temporary name: the caller renames it once complete). */
  outFile: string;
  onProgress?: (bytesWritten: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/** `pg_dump --format=custom` of the whole database into outFile. */
export async function runPgDump(opts: PgDumpOptions): Promise<void> {
  const { dbname, password } = splitDatabaseUrl(opts.databaseUrl);
  await runTool({
    binary: opts.pgDumpPath,
    args: ['--format=custom', '--no-password', `--file=${opts.outFile}`, `--dbname=${dbname}`],
    password,
    signal: opts.signal,
    onProgress: opts.onProgress
      ? async () => {
          const stat = await fs.stat(opts.outFile).catch(() => undefined);
          await opts.onProgress?.(stat?.size ?? 0);
        }
      : undefined,
  });
}

export interface PgRestoreOptions {
  pgRestorePath: string;
  databaseUrl: string;
  file: string;
  onProgress?: () => void | Promise<void>;
}

/**
 * `pg_restore --clean --if-exists --no-owner` into the database: existing objects of the dump are dropped and
 * recreated, objects owned by whoever runs the restore. Stops at the first error. Over an existing database the
 * caller drops the partitioned tables first (restoreBackup does).
 */
export async function runPgRestore(opts: PgRestoreOptions): Promise<void> {
  const { dbname, password } = splitDatabaseUrl(opts.databaseUrl);
  await runTool({
    binary: opts.pgRestorePath,
    args: [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--exit-on-error',
      '--no-password',
      `--dbname=${dbname}`,
      opts.file,
    ],
    password,
    onProgress: opts.onProgress,
  });
}
