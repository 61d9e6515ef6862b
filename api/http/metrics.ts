import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import './locals';

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  httpErrors: Counter<'route' | 'code'>;
  workflowStarts: Counter<'workflow'>;
}

/** One registry per app instance, so several apps (tests) never share or re-register metrics. */
export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, Express route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'http_errors_total',
      help: 'Error responses by route pattern and error code',
      labelNames: ['route', 'code'],
      registers: [registry],
    }),
    workflowStarts: new Counter({
      name: 'workflow_starts_total',
      help: 'Workflows started through the API',
      labelNames: ['workflow'],
      registers: [registry],
    }),
  };
}

/** The matched route pattern (never the raw URL, which would explode label cardinality). */
export function routeLabel(
  req: { baseUrl: string; route?: { path?: unknown } },
  locals: Express.Locals,
): string {
  if (locals.routePattern) return locals.routePattern;
  if (typeof req.route?.path === 'string') return req.baseUrl + req.route.path;
  return 'unmatched';
}

export function observeRequests(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      stop({ method: req.method, route: routeLabel(req, res.locals), status: String(res.statusCode) });
    });
    next();
  };
}
