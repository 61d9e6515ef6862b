import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

import type { SandboxServer } from '../listen';

export type { SandboxServer };

export interface StripeMockOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** Path of the stripe-mock binary; found or built by install.sh when omitted. */
  binary?: string;
  /** How long to wait for stripe-mock to listen (default 20 s). */
  readyTimeoutMs?: number;
}

const LISTENING_HTTP = /Listening for HTTP at address: (\S+)/;

/** The stripe-mock binary: on PATH, in .tools/bin, or built there with Go by install.sh. */
export function findStripeMockBinary(): string {
  return execFileSync('bash', [path.join(__dirname, 'install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * Runs stripe-mock (Stripe's own API simulator) as a child process and resolves once it listens.
 * It reports its real address on stdout, which is how port 0 works. The HTTPS listener cannot be
 * switched off once an HTTP address is given, so it is pinned to a free loopback port to stay out of the way
 * of the fixed default (12112).
 */
export async function startStripeMockSandbox(opts: StripeMockOptions = {}): Promise<SandboxServer> {
  const host = opts.host ?? '127.0.0.1';
  const binary = opts.binary ?? findStripeMockBinary();
  const child = spawn(binary, ['-http-addr', `${host}:${opts.port ?? 0}`, '-https-addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stripe-mock did not start within ${opts.readyTimeoutMs ?? 20000} ms:\n${output}`));
    }, opts.readyTimeoutMs ?? 20000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING_HTTP.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const listenPort = Number(match[1].slice(match[1].lastIndexOf(':') + 1));
      resolve(listenPort);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited early (${signal ?? `code ${code}`}):\n${output}`));
    });
  });
  // Keep draining its output (it logs every request) without holding the event loop.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  return {
    name: 'stripe-mock',
    url: `http://${host}:${port}`,
    port,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
