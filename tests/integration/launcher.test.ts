import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The README's first command on embedded defaults: PGlite, in-process cache, API and worker in one process,
 * a Temporal dev server on a SQLite file. Proves a platform check runs end to end, Ctrl-C stops everything,
 * and a second start keeps the data of the first.
 */
const repoRoot = path.resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Sandbox providers on free ports: never the fixed defaults a developer's own platform may be using. */
async function sandboxPortEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  for (const provider of ['ANTHROPIC', 'CLICKBANK', 'POSTMARK', 'WORDPRESS', 'STRIPE']) {
    env[`${provider}_SANDBOX_PORT`] = String(await freePort());
  }
  return env;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Platform {
  child: ChildProcess;
  output: () => string;
}

function startPlatform(env: NodeJS.ProcessEnv): Promise<Platform> {
  const cleanEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'TEMPORAL_ADDRESS', 'NODE_ENV'])
    delete cleanEnv[key];
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts', '--no-ui'], {
    cwd: repoRoot,
    env: { ...cleanEnv, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it can send SIGINT to the whole group as Ctrl-C in a terminal does.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start in time:\n${output}`)), 150_000);
    const check = setInterval(() => {
      if (output.includes('Hopflow is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code} before it was ready:\n${output}`));
    });
  });
}

async function stopPlatform(platform: Platform): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) =>
    platform.child.once('exit', (code) => resolve(code)),
  );
  // Like Ctrl-C: every process of the group gets SIGINT (tsx, the launcher, the dev server...).
  process.kill(-platform.child.pid!, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 45_000)));
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    platform.child.kill('SIGKILL');
    throw new Error(`platform did not stop within 45 s of SIGINT:\n${platform.output()}`);
  }
  return result;
}

interface Registered {
  accessToken: string;
  teamId: string;
  checkId: string;
}

/** The confirmation link's token from the platform's email in the Postmark sandbox (sent in the background). */
async function confirmationToken(mailboxUrl: string, email: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(
      `${mailboxUrl}sandbox/messages?to=${encodeURIComponent(email)}&tag=account-confirmation`,
    );
    const { messages } = (await res.json()) as { messages: { TextBody?: string }[] };
    const token = /\/register\/confirm\?token=([\w-]+)/.exec(messages[0]?.TextBody ?? '')?.[1];
    if (token) return token;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no confirmation email to ${email} at ${mailboxUrl}`);
}

/**
 * Registers a user through the API as a newcomer does (register, the link from the test mailbox the launcher
 * printed, confirm) and runs a platform check to completion (needs API, worker, Temporal).
 */
async function registerAndRunCheck(
  api: string,
  output: string,
  credentials: { email: string; password: string; name: string },
) {
  const mailboxUrl = /Test mailbox\s+(http\S+)/.exec(output)?.[1];
  if (!mailboxUrl) throw new Error(`the launcher printed no test mailbox:\n${output}`);
  const json = { 'content-type': 'application/json' };
  const registered = await fetch(`${api}/api/v1/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(credentials),
  });
  expect(registered.status).toBe(202);
  const confirmed = await fetch(`${api}/api/v1/auth/register/confirm`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      token: await confirmationToken(mailboxUrl, credentials.email),
      password: credentials.password,
    }),
  });
  expect(confirmed.status).toBe(201);
  const { accessToken, team } = (await confirmed.json()) as { accessToken: string; team: { id: string } };
  const auth = { authorization: `Bearer ${accessToken}` };

  const started = await fetch(`${api}/api/v1/teams/${team.id}/platform-checks`, {
    method: 'POST',
    headers: auth,
  });
  expect(started.status).toBe(202);
  const { check } = (await started.json()) as { check: { id: string } };
  let status = 'pending';
  for (let i = 0; i < 120 && status === 'pending'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${api}/api/v1/teams/${team.id}/platform-checks/${check.id}`, { headers: auth });
    status = ((await res.json()) as { check: { status: string } }).check.status;
  }
  expect(status).toBe('completed');
  return { accessToken, teamId: team.id, checkId: check.id } satisfies Registered;
}

describe('./hopflow start on embedded defaults', () => {
  jest.setTimeout(420_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-launcher-'));
  let env: NodeJS.ProcessEnv;
  let api: string;
  let temporalPort: number;

  beforeAll(async () => {
    const [apiPort, tPort, tUiPort] = [await freePort(), await freePort(), await freePort()];
    temporalPort = tPort;
    api = `http://127.0.0.1:${apiPort}`;
    env = {
      HOPFLOW_DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
      TEMPORAL_UI_PORT: String(tUiPort),
      TEMPORAL_DEV_SERVER: 'always',
      ...(await sandboxPortEnv()),
    };
  });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('runs a platform check and sandbox integrations end to end, stops on Ctrl-C and keeps its data', async () => {
    const credentials = {
      email: `launcher-${Date.now()}@example.com`,
      password: 'correct horse battery',
      name: 'Lou',
    };

    const first = await startPlatform(env);
    expect(first.output()).toMatch(/mode: embedded/);
    const { teamId, checkId, accessToken } = await registerAndRunCheck(api, first.output(), credentials);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    // Issue 3's promise on the same newcomer platform: integrations run on sandboxes, and a SALE from the
    // sandbox INS sender CLI, delivered five times, is stored once.
    const integrations = await fetch(`${api}/api/v1/teams/${teamId}/integrations`, {
      headers: auth(accessToken),
    });
    const { integrations: views } = (await integrations.json()) as {
      integrations: { provider: string; mode: string }[];
    };
    expect(views.map((v) => `${v.provider}:${v.mode}`).sort()).toEqual([
      'anthropic:sandbox',
      'clickbank:sandbox',
      'postmark:sandbox',
      'wordpress:sandbox',
    ]);
    const tested = await fetch(`${api}/api/v1/teams/${teamId}/integrations/anthropic/test`, {
      method: 'POST',
      headers: auth(accessToken),
    });
    expect(((await tested.json()) as { ok: boolean }).ok).toBe(true);
    const saved = await fetch(`${api}/api/v1/teams/${teamId}/integrations/clickbank`, {
      method: 'PUT',
      headers: { ...auth(accessToken), 'content-type': 'application/json' },
      body: JSON.stringify({ affiliateNickname: 'newcomer1', insSecretKey: 'NEWCOMERKEY12345' }),
    });
    expect(saved.status).toBe(200);
    const { integration } = (await saved.json()) as { integration: { insUrl: string } };
    const sender = spawnSync(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'sandbox/clickbank/send-ins.ts',
        '--url',
        integration.insUrl,
        '--secret',
        'NEWCOMERKEY12345',
        '--type',
        'SALE',
        '--tid',
        'launch',
        '--times',
        '5',
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(sender.status).toBe(0);
    const answers = sender.stdout.match(/"duplicate":(true|false)/g) ?? [];
    expect(answers).toEqual(['"duplicate":false', ...Array<string>(4).fill('"duplicate":true')]);

    expect(await stopPlatform(first)).toBe(0);
    expect(await portOpen(temporalPort)).toBe(false);

    const second = await startPlatform(env);
    try {
      const login = await fetch(`${api}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: credentials.email, password: credentials.password }),
      });
      expect(login.status).toBe(200);
      const { accessToken: again } = (await login.json()) as { accessToken: string };
      const res = await fetch(`${api}/api/v1/teams/${teamId}/platform-checks/${checkId}`, {
        headers: { authorization: `Bearer ${again}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { check: { status: string } }).check.status).toBe('completed');
    } finally {
      expect(await stopPlatform(second)).toBe(0);
    }
  });
});

describe('./hopflow start with DATABASE_URL and REDIS_URL', () => {
  jest.setTimeout(300_000);

  it('runs API and worker as separate processes on real PostgreSQL, Redis and an existing Temporal server', async () => {
    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    const platform = await startPlatform({
      // The fresh test database, Redis db and Temporal dev server of the global setup.
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      JWT_SECRET: process.env.JWT_SECRET,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE,
      HOPFLOW_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-launcher-ext-')),
      API_PORT: String(apiPort),
      ...(await sandboxPortEnv()),
    });
    try {
      expect(platform.output()).toMatch(
        /mode: external services \(PostgreSQL, Redis; API and worker as separate processes\)/,
      );
      expect(platform.output()).toMatch(/using the Temporal server already running/);
      await registerAndRunCheck(api, platform.output(), {
        email: `external-${Date.now()}@example.com`,
        password: 'correct horse battery',
        name: 'Ext',
      });
      const ready = await fetch(`${api}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      expect(await stopPlatform(platform)).toBe(0);
    }
    // The API child process is gone with the launcher.
    expect(await portOpen(apiPort)).toBe(false);
  });
});
