import { Router } from 'express';
import type { ApiDeps } from '../deps';
import type { ApiMetrics } from '../http/metrics';
import { pingDatabase } from '../../data/health';

type CheckStatus = { status: 'ok' } | { status: 'error'; error: string } | { status: 'disabled' };

const READY_TIMEOUT_MS = 2000;

async function probe(run: () => Promise<unknown>): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok' };
  } catch (err) {
    return { status: 'error', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness, readiness (each dependency checked with a short timeout) and Prometheus metrics, at the root. */
export function healthRouter(deps: ApiDeps, metrics: ApiMetrics): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const temporal = deps.temporal;
    const [database, kv, temporalCheck] = await Promise.all([
      probe(() => pingDatabase(deps.db)),
      probe(() => deps.kv.ping()),
      temporal
        ? probe(() => temporal.client.workflowService.getSystemInfo({}))
        : Promise.resolve<CheckStatus>({ status: 'disabled' }),
    ]);
    const checks = { database, kv: { ...kv, kind: deps.kv.kind }, temporal: temporalCheck };
    // Temporal being absent by configuration (disabled) does not make the API unready; being unreachable does.
    const ready = [database, kv, temporalCheck].every((c) => c.status !== 'error');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}
