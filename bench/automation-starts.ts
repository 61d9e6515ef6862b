/**
 * Webhook deliveries to durable automation starts, against raw `client.workflow.start` calls on the same Temporal
 * server, in the same run.
 *   tsx bench/automation-starts.ts [deliveries=400] [concurrency=16] [duplicateShare=0.2]
 *
 * Starts its own Temporal dev server (free ports, temp folder) and the API; no worker runs, so what is measured is
 * the durable start (recorded delivery + run row + Temporal start), not the run. The raw baseline starts the same
 * workflow type with the same input size and unique ids. The webhook phase sends `deliveries` deliveries of which
 * `duplicateShare` repeat an earlier Idempotency-Key (sent while the first may still be in flight), and then
 * counts the runs Temporal holds for the automation: lost = keys without a run, duplicated = runs beyond one per
 * key. Uses DATABASE_URL / REDIS_URL when set, else the embedded defaults (PGlite, in-process kv).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApiServer } from '../api/server';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { createTemporalClient } from '../temporal/client';
import { startDevServer } from '../temporal/dev-server';
import { findFreePorts } from '../temporal/free-port';
import { AUTOMATION_RUN_WORKFLOW } from '../workflows/contracts/automation-run';
import { TaskQueue } from '../workflows/contracts/task-queues';
import { registerConfirmed, startMailSandbox } from './registration';

const deliveries = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 16);
const duplicateShare = Number(process.argv[4] ?? 0.2);

/** Runs `work(i)` for i < count, `limit` at once; resolves with the elapsed milliseconds. */
async function timed(count: number, limit: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return performance.now() - start;
}

const definition = {
  version: 1,
  trigger: { type: 'webhook', auth: { scheme: 'token' } },
  steps: [{ id: 'hold', name: 'Hold', type: 'wait', config: { duration: '1h' } }],
};

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const binary = execFileSync('bash', [path.join(root, 'temporal/install-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-starts-'));
  const [port, uiPort, httpPort, metricsPort] = await findFreePorts(4);
  const server = await startDevServer({
    binary,
    dataDir: path.join(dataDir, 'temporal'),
    port,
    uiPort,
    httpPort,
    metricsPort,
    headless: true,
  });
  const config = loadConfig({
    ...process.env,
    HOPFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TEMPORAL_ADDRESS: server.address,
  });
  config.api.port = 0;
  config.limits.register = { points: 1_000_000, windowSeconds: 60 };
  config.limits.webhooks = { points: 1_000_000, windowSeconds: 60 };
  const mail = await startMailSandbox(config);
  const db = createDb(config);
  await migrateLatest(db);
  const kv = await createKeyValue(config);
  const temporal = await createTemporalClient(config);
  const api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal });
  const base = `${api.url}/api/v1`;
  try {
    const session = await registerConfirmed(base, mail.url, {
      email: `starts-${Date.now()}@example.com`,
      password: 'bench password 123',
      name: 'Bench',
    });
    const auth = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
    const teamUrl = `${base}/teams/${session.team.id}/automations`;
    const created = await fetch(teamUrl, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Bench hook', definition }),
    });
    if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
    const automation = ((await created.json()) as { automation: { id: string } }).automation;
    const activated = await fetch(`${teamUrl}/${automation.id}/activate`, { method: 'POST', headers: auth });
    if (activated.status !== 200) throw new Error(`activate answered ${activated.status}`);
    const shown = (
      (await (await fetch(`${teamUrl}/${automation.id}/webhook`, { headers: auth })).json()) as {
        webhook: { url: string; secret: string };
      }
    ).webhook;
    // The shown URL is the public one; the bench's API listens on a port of its own.
    const hook = { url: `${api.url}${new URL(shown.url).pathname}`, secret: shown.secret };

    const payload = { email: 'lead@example.com', name: 'Lead', note: 'x'.repeat(200) };
    const client = temporal.client;
    const rawStart = (i: number, prefix: string) =>
      client.workflow
        .start(AUTOMATION_RUN_WORKFLOW, {
          taskQueue: TaskQueue.main,
          workflowId: `bench-raw:${prefix}:${i}`,
          args: [{ automationId: automation.id, definition, trigger: { payload } }],
        })
        .then(() => undefined);

    const uniqueKeys = Math.round(deliveries * (1 - duplicateShare));
    const keys = Array.from({ length: deliveries }, (_, i) =>
      i < uniqueKeys ? `lead-${i}` : `lead-${Math.floor(Math.random() * uniqueKeys)}`,
    );
    // Duplicates go out among the first deliveries of their key, not only long after.
    const order = keys.map((key, i) => ({ key, sort: i < uniqueKeys ? i : Math.random() * uniqueKeys }));
    order.sort((a, b) => a.sort - b.sort);
    const statuses: Record<string, number> = {};
    const workflowIdOf = new Map<string, Set<string>>();
    const deliver = async (i: number) => {
      const { key } = order[i]!;
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${hook.secret}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ ...payload, key }),
      });
      const body = (await res.json()) as { workflow_id?: string; status?: string };
      const status = `${res.status} ${body.status ?? ''}`.trim();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (body.workflow_id) {
        const ids = workflowIdOf.get(key) ?? new Set<string>();
        ids.add(body.workflow_id);
        workflowIdOf.set(key, ids);
      }
    };

    // Warm up both paths (JIT, connections, first workflow type lookups).
    await timed(20, 4, (i) => rawStart(i, 'warm'));
    let warm = 0;
    await timed(20, 4, async () => {
      await fetch(hook.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${hook.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ warm: warm++ }),
      });
    });

    const rawMs = await timed(deliveries, concurrency, (i) => rawStart(i, 'run'));
    const hookMs = await timed(deliveries, concurrency, deliver);

    // Count what Temporal holds for the automation (visibility is eventually consistent: wait until it settles).
    const query = `AutomationId = "${automation.id}" AND WorkflowId STARTS_WITH "auto:${automation.id}:lead-"`;
    let runs = -1;
    for (let tries = 0; tries < 60; tries++) {
      const { count } = await client.workflow.count(query);
      if (count === runs && count >= uniqueKeys) break;
      runs = count;
      await new Promise((r) => setTimeout(r, 500));
    }
    const keysWithRun = [...new Set(keys)].filter((k) => workflowIdOf.get(k)?.size === 1).length;
    const lost = uniqueKeys - Math.min(runs, keysWithRun);
    const duplicated = Math.max(0, runs - uniqueKeys);
    const splitKeys = [...workflowIdOf.values()].filter((ids) => ids.size > 1).length;

    const rawRate = (deliveries / rawMs) * 1000;
    const hookRate = (deliveries / hookMs) * 1000;
    console.log(
      `database: ${config.embedded ? 'PGlite (embedded)' : 'PostgreSQL'}; kv: ${kv.kind}; ${deliveries} starts each, ${concurrency} at once; ${deliveries - uniqueKeys} deliveries repeat a key`,
    );
    console.log(`raw client.workflow.start   ${rawRate.toFixed(0).padStart(6)} starts/s`);
    console.log(`webhook deliveries          ${hookRate.toFixed(0).padStart(6)} deliveries/s`);
    console.log(
      `ratio webhook / raw         ${(hookRate / rawRate).toFixed(2).padStart(6)}x   (target >= 0.8x)`,
    );
    console.log(
      `new runs via webhook        ${((uniqueKeys / hookMs) * 1000).toFixed(0).padStart(6)} runs/s (${((uniqueKeys / hookMs / (deliveries / rawMs)) * 100).toFixed(0)}% of raw: duplicates answered without a start)`,
    );
    console.log(`answers                     ${JSON.stringify(statuses)}`);
    console.log(
      `runs in Temporal            ${runs} for ${uniqueKeys} keys: lost ${lost}, duplicated ${duplicated}, keys answered with two run ids ${splitKeys}`,
    );
  } finally {
    await api.close();
    await temporal.close();
    await kv.close();
    await db.destroy();
    await mail.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
