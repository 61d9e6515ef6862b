/**
 * API latency per kind of request, against a /healthz baseline measured in the same process:
 *   tsx bench/api-latency.ts [requests=300]
 * Uses DATABASE_URL / REDIS_URL when set, else the embedded defaults (PGlite in a temp folder, in-process kv).
 * Prints p50 / p95 / mean in milliseconds and each route's p50 as a multiple of the baseline's, then the cost of
 * the session revocation check: GET /me against a second server whose kv skips that one lookup, interleaved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createKeyValue, type KeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { startApiServer } from '../api/server';
import { registerConfirmed, startMailSandbox } from './registration';

const count = Number(process.argv[2] ?? 300);

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((s, v) => s + v, 0) / samples.length };
}

async function measure(n: number, request: (i: number) => Promise<Response>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`request ${i} answered ${res.status}`);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The same store, except that the revocation lookup of the auth middleware answers "not revoked" at once. */
function withoutRevocationCheck(kv: KeyValue): KeyValue {
  return {
    ...kv,
    get: (key) => (key.startsWith('auth:revoked-session:') ? Promise.resolve(null) : kv.get(key)),
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-'));
  const config = loadConfig({ ...process.env, HOPFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  // Login is limited per account; the bench logs in many times on purpose.
  config.auth.loginMaxFailsPerAccount = 1_000_000;
  config.api.port = 0; // any free port
  const mail = await startMailSandbox(config);
  const db = createDb(config);
  await migrateLatest(db);
  const kv = await createKeyValue(config);
  const api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal: null });
  const unchecked = await startApiServer({
    config,
    db,
    logger: createLogger(config, 'bench'),
    kv: withoutRevocationCheck(kv),
    temporal: null,
  });
  const json = { 'content-type': 'application/json' };
  try {
    const credentials = {
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password 123',
      name: 'Bench',
    };
    const session = await registerConfirmed(`${api.url}/api/v1`, mail.url, credentials);
    const auth = { authorization: `Bearer ${session.accessToken}` };
    let refreshToken = session.refreshToken;

    const results: [string, number[]][] = [];
    results.push(['GET /healthz (baseline)', await measure(count, () => fetch(`${api.url}/healthz`))]);
    results.push([
      'GET /api/v1/me',
      await measure(count, () => fetch(`${api.url}/api/v1/me`, { headers: auth })),
    ]);
    results.push([
      'GET /api/v1/teams/{id}/members',
      await measure(count, () =>
        fetch(`${api.url}/api/v1/teams/${session.team.id}/members`, { headers: auth }),
      ),
    ]);
    results.push([
      'POST /api/v1/auth/refresh',
      await measure(count, async () => {
        const res = await fetch(`${api.url}/api/v1/auth/refresh`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ refreshToken }),
        });
        const clone = res.clone();
        refreshToken = ((await clone.json()) as { refreshToken: string }).refreshToken;
        return res;
      }),
    ]);
    // argon2id with OWASP parameters is deliberately slow: fewer samples.
    results.push([
      'POST /api/v1/auth/login (argon2id)',
      await measure(Math.max(10, Math.floor(count / 10)), () =>
        fetch(`${api.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ email: credentials.email, password: credentials.password }),
        }),
      ),
    ]);

    // Interleaved, so drift (GC, JIT, the database warming up) lands on both sides alike.
    const checked: number[] = [];
    const skipped: number[] = [];
    for (let i = 0; i < count; i++) {
      checked.push(...(await measure(1, () => fetch(`${api.url}/api/v1/me`, { headers: auth }))));
      skipped.push(...(await measure(1, () => fetch(`${unchecked.url}/api/v1/me`, { headers: auth }))));
    }
    results.push(['GET /api/v1/me (revocation check)', checked]);
    results.push(['GET /api/v1/me (check skipped)', skipped]);

    const baseline = summarize(results[0]![1]).p50;
    console.log(
      `database: ${config.embedded ? 'PGlite (embedded)' : 'PostgreSQL'}; kv: ${kv.kind}; ${count} requests each`,
    );
    console.log(
      'route'.padEnd(40),
      'p50 ms'.padStart(8),
      'p95 ms'.padStart(8),
      'mean ms'.padStart(8),
      'p50/base'.padStart(9),
    );
    for (const [name, samples] of results) {
      const s = summarize(samples);
      console.log(
        name.padEnd(40),
        s.p50.toFixed(2).padStart(8),
        s.p95.toFixed(2).padStart(8),
        s.mean.toFixed(2).padStart(8),
        (s.p50 / baseline).toFixed(1).padStart(8) + 'x',
      );
    }
    const withCheck = summarize(checked);
    const withoutCheck = summarize(skipped);
    console.log(
      `session revocation check (one kv GET): GET /me p50 ${withCheck.p50.toFixed(2)} ms vs ${withoutCheck.p50.toFixed(2)} ms without,` +
        ` ${(withCheck.p50 / withoutCheck.p50).toFixed(2)}x; mean ${(withCheck.mean / withoutCheck.mean).toFixed(2)}x`,
    );
  } finally {
    await unchecked.close();
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
