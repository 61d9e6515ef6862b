import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Accept a caller's id only if it is short and plain, so it cannot inject into logs or headers.
const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** For pino-http genReqId: reuse a sane X-Request-Id, else a fresh UUID; echo it on the response. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
