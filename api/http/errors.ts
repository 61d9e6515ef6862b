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

/** The router could not percent-decode a path parameter (e.g. the bytes of a lone surrogate, not UTF-8). */
function fromRouter(err: unknown): AppError | null {
  if (!(err instanceof URIError) || (err as { status?: unknown }).status !== 400) return null;
  return new AppError(400, 'validation_failed', 'The request is not valid', [
    { path: 'params', message: 'A path segment is not valid percent-encoded UTF-8' },
  ]);
}

/** The fields of a PostgreSQL error (node-postgres DatabaseError, also what knex rethrows) that carry no data. */
interface DatabaseErrorFields {
  code: string;
  severity?: string;
  routine?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
}

function databaseError(err: unknown): DatabaseErrorFields | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  if (typeof e.severity !== 'string' && typeof e.routine !== 'string') return null;
  const text = (key: string) => (typeof e[key] === 'string' ? e[key] : undefined);
  return {
    code: e.code,
    severity: text('severity'),
    routine: text('routine'),
    schema: text('schema'),
    table: text('table'),
    column: text('column'),
    constraint: text('constraint'),
    dataType: text('dataType'),
  };
}

/** 57014: the API's statement_timeout (DB_STATEMENT_TIMEOUT_MS) cancelled a statement, or an operator did. */
const QUERY_CANCELED = '57014';
const DATABASE_TIMEOUT_RETRY_SECONDS = 5;

/** A statement of this request ran too long and was cancelled: nothing is wrong with the request itself. */
const databaseTimeout = () =>
  new AppError(
    503,
    'database_timeout',
    'This request took too long in the database and was stopped: narrow the search (more words, a tag or a status) or try again in a moment',
    [],
    { 'Retry-After': String(DATABASE_TIMEOUT_RETRY_SECONDS) },
  );

/**
 * PostgreSQL refused text it cannot store: a NUL (22021, or 22P05 inside jsonb) or an unpaired surrogate inside
 * json (22P02 with a Unicode detail). The edge refuses these first; this is the backstop for any path it misses.
 */
function fromDatabase(err: unknown): AppError | null {
  const db = databaseError(err);
  if (!db) return null;
  if (db.code === QUERY_CANCELED) return databaseTimeout();
  const detail = (err as { detail?: unknown }).detail;
  const unicodeInJson = db.code === '22P02' && typeof detail === 'string' && /unicode/i.test(detail);
  if (db.code !== '22021' && db.code !== '22P05' && !unicodeInJson) return null;
  return new AppError(
    400,
    'invalid_text',
    'The request contains a character that cannot be stored (NUL or a broken emoji); remove it',
  );
}

/**
 * What the log may say about an unhandled error. A database error's message, detail and where carry the SQL
 * statement and its parameters (contact emails, email bodies): only its code and the names of what it hit are
 * kept. Anything else is logged whole (its stack is what finds the bug).
 */
function loggableError(err: unknown): Record<string, unknown> {
  const db = databaseError(err);
  if (!db) return { err };
  const name = err instanceof Error ? err.name : 'DatabaseError';
  return { err: { type: name, ...db } };
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
    const appError =
      err instanceof AppError
        ? err
        : (fromBodyParser(err, opts.bodyLimit) ?? fromRouter(err) ?? fromDatabase(err));
    const error = appError ?? new AppError(500, 'internal_error', 'Something went wrong on our side');
    const requestId = typeof req.id === 'string' ? req.id : String(res.getHeader('X-Request-Id') ?? '');
    const route = routeLabel(req, res.locals);
    if (!appError) {
      (req.log ?? opts.logger).error({ ...loggableError(err), route, requestId }, 'unhandled error');
    }
    opts.metrics.httpErrors.inc({ route, code: error.code });
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.status(error.status).json({
      error: { code: error.code, message: error.message, details: error.details, requestId },
    });
  };
}
