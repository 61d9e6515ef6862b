import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { ApiMetrics } from './metrics';
import { routeLabel } from './metrics';
import './locals';
import 'pino-http'; // its typings add req.id and req.log

/** body-parser errors carry a `type`; map the ones a client can cause to our codes. */
function fromBodyParser(err: unknown, bodyLimit: string): AppError | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', `The request body is larger than ${bodyLimit}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'The request was aborted');
    default:
      return null;
  }
}

export const unknownRoute: RequestHandler = (req) => {
  throw new AppError(404, 'not_found', `No route for ${req.method} ${req.path}`);
};

/** The one place errors become responses: { error: { code, message, details, requestId } }. */
export function errorHandler(opts: {
  logger: Logger;
  metrics: ApiMetrics;
  bodyLimit: string;
}): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const appError = err instanceof AppError ? err : fromBodyParser(err, opts.bodyLimit);
    const error = appError ?? new AppError(500, 'internal_error', 'Something went wrong on our side');
    if (!appError) (req.log ?? opts.logger).error({ err }, 'unhandled error');
    const requestId = typeof req.id === 'string' ? req.id : String(res.getHeader('X-Request-Id') ?? '');
    opts.metrics.httpErrors.inc({ route: routeLabel(req, res.locals), code: error.code });
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.status(error.status).json({
      error: { code: error.code, message: error.message, details: error.details, requestId },
    });
  };
}
