/**
 * Does POST /auth/register take the same time for a new address and a taken one? (It must: a difference would tell
 * an attacker which addresses have accounts.)
 *   tsx bench/registration-timing.ts [requests=20]
 * Uses DATABASE_URL / REDIS_URL when set, else the embedded defaults (PGlite in a temp folder, in-process kv); the
 * platform's emails go to a Postmark sandbox of its own. Interleaves three kinds of sign-up so drift lands on all
 * alike: a new address (pending registration + confirmation email), a taken address (owner notice) and a taken
 * address noticed moments ago (throttled: no email at all). Prints p50 / p95 / mean in ms and each kind's p50 and
 * mean as a ratio to the new address's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApiServer } from '../api/server';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { registerConfirmed, startMailSandbox } from './registration';

const count = Number(process.argv[2] ?? 20);

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((s, v) => s + v, 0) / samples.length };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-'));
  const config = loadConfig({ ...process.env, HOPFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  config.api.port = 0;
  config.limits.register = { points: 1_000_000, windowSeconds: 60 };
  config.limits.registerConfirm = { points: 1_000_000, windowSeconds: 60 };
  const mail = await startMailSandbox(config);
  const db = createDb(config);
  await migrateLatest(db);
  const kv = await createKeyValue(config);
  const api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal: null });
  const base = `${api.url}/api/v1`;
  const run = Date.now();
  const password = 'bench password 123';
  try {
    const taken: string[] = [];
    for (let i = 0; i < count; i++) {
      const email = `taken-${run}-${i}@example.com`;
      await registerConfirmed(base, mail.url, { email, password, name: 'Taken' });
      taken.push(email);
    }
    const register = async (email: string): Promise<number> => {
      const start = performance.now();
      const res = await fetch(`${base}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'another bench password', name: 'Someone' }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`register answered ${res.status}`);
      return performance.now() - start;
    };
    // Warm up (JIT, pool, argon2).
    for (let i = 0; i < 5; i++) await register(`warmup-${run}-${i}@example.com`);

    const samples: Record<'new' | 'taken' | 'throttled', number[]> = { new: [], taken: [], throttled: [] };
    for (let i = 0; i < count; i++) {
      samples.new.push(await register(`new-${run}-${i}@example.com`));
      samples.taken.push(await register(taken[i]!));
      samples.throttled.push(await register(taken[i]!));
    }

    const reference = summarize(samples.new);
    console.log(
      `database: ${config.embedded ? 'PGlite (embedded)' : 'PostgreSQL'}; kv: ${kv.kind}; ${count} sign-ups per kind, interleaved`,
    );
    console.log(
      'POST /auth/register for'.padEnd(44),
      'p50 ms'.padStart(8),
      'p95 ms'.padStart(8),
      'mean ms'.padStart(8),
      'p50/new'.padStart(8),
      'mean/new'.padStart(9),
    );
    const rows: [string, number[]][] = [
      ['a new address (confirmation email)', samples.new],
      ['a taken address (owner notice)', samples.taken],
      ['a taken address, notice throttled (no email)', samples.throttled],
    ];
    for (const [name, list] of rows) {
      const s = summarize(list);
      console.log(
        name.padEnd(44),
        s.p50.toFixed(2).padStart(8),
        s.p95.toFixed(2).padStart(8),
        s.mean.toFixed(2).padStart(8),
        (s.p50 / reference.p50).toFixed(2).padStart(7) + 'x',
        (s.mean / reference.mean).toFixed(2).padStart(8) + 'x',
      );
    }
  } finally {
    await api.close();
    await kv.close();
    await mail.close();
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
