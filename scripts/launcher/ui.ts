import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type Config } from '../../lib/config';

const uiDir = path.join(repoRoot, 'ui');
const uiEntry = path.join(uiDir, 'build', 'index.js');
const localServer = path.join(uiDir, 'serve.js');

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds the UI when there is no build yet or a source file is newer than it. */
export function ensureUiBuilt(log: (line: string) => void): void {
  const built = fs.statSync(uiEntry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((f) =>
    newestMtime(path.join(uiDir, f)),
  );
  if (built > Math.max(...sources)) return;
  log('building the UI (first start or changed sources)...');
  const result = spawnSync('npm', ['run', 'build', '--workspace', 'ui'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`UI build failed (exit ${result.status ?? result.signal})`);
}

/**
 * With PUBLIC_UI_URL set, adapter-node's own server with ORIGIN pinned to it (CSRF checks compare against it);
 * otherwise ui/serve.js, which accepts whichever local address the browser used.
 */
export function startUi(config: Config, apiUrl: string): ChildProcess {
  const pinned = config.ui.originPinned;
  return spawn(process.execPath, [pinned ? uiEntry : localServer], {
    cwd: uiDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(config.ui.port),
      HOST: config.api.host,
      ...(pinned ? { ORIGIN: config.ui.publicUrl } : {}),
      API_URL: apiUrl,
      // Lets the API trust the browser addresses the UI server passes on (per-address limits).
      ...(config.api.uiSecret ? { UI_API_SECRET: config.api.uiSecret } : {}),
      // adapter-node refuses bodies over 512 KB by default; bonus files pass through the UI to the API, which
      // enforces the real limit (413 on the file field). 1 MB extra covers the multipart framing.
      BODY_SIZE_LIMIT: String(config.bonuses.maxUploadBytes + 1024 * 1024),
    },
  });
}
