import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { isRefusedSandboxCredential } from '../../lib/integrations/sandbox-credentials';
import { isEmailAddress } from './addresses';
import { Mailbox, type Outcome } from './mailbox';
import { renderMailbox } from './page';
import { listen, type SandboxServer } from '../listen';
export type { SandboxServer };

export interface PostmarkSandboxOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

export interface RecordedRequest {
  receivedAt: string;
  method: string;
  path: string;
  status: number;
  /** The To of each message in the request. */
  to: string[];
}

const MAX_BATCH = 500;

/**
 * Postmark's sending API on a local port (X-Postmark-Server-Token auth, Postmark's status codes and bodies),
 * recording every accepted message for GET /sandbox/messages and the HTML mailbox at /.
 */
export async function startPostmarkSandbox(opts: PostmarkSandboxOptions = {}): Promise<SandboxServer> {
  const mailbox = new Mailbox();
  const requests: RecordedRequest[] = [];
  let requestTotal = 0;
  // PUT /sandbox/latency: sends are accepted (recorded) at once but answered this late, so a test can kill the
  // sender between Postmark taking a message and the sender hearing about it.
  let answerDelayMs = 0;
  const answerLater = (res: Response, status: number, body: unknown) => {
    if (answerDelayMs <= 0) {
      res.status(status).json(body);
      return;
    }
    setTimeout(() => {
      if (!res.destroyed) res.status(status).json(body);
    }, answerDelayMs);
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '50mb' }));

  const log = (req: Request, status: number, to: string[]) => {
    requestTotal++;
    requests.unshift({
      receivedAt: new Date().toISOString(),
      method: req.method,
      path: req.path,
      status,
      to,
    });
    requests.length = Math.min(requests.length, 1000);
  };

  /** Token check for the real API routes; the answer is Postmark's own 401. */
  const authorized = (req: Request, res: Response): boolean => {
    const token = req.header('x-postmark-server-token');
    if (token && !isRefusedSandboxCredential(token)) return true;
    log(req, 401, []);
    res.status(401).json({
      ErrorCode: 10,
      Message: token
        ? 'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. ' +
          'Please verify that you are using a valid token.'
        : 'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either ' +
          'X-Postmark-Server-Token or X-Postmark-Account-Token.',
    });
    return false;
  };

  const sendOne = (template: boolean) => (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const outcome = mailbox.submit(req.body, template);
    const status = outcome.kind === 'sent' ? 200 : outcome.kind === 'rejected' ? 422 : outcome.status;
    log(req, status, [toOf(req.body)]);
    answerLater(res, status, outcome.result);
  };
  app.post('/email', sendOne(false));
  app.post('/email/withTemplate', sendOne(true));

  const sendBatch = (template: boolean) => (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const body: unknown = req.body;
    const messages: unknown = template ? (body as { Messages?: unknown } | null)?.Messages : body;
    if (!Array.isArray(messages)) {
      log(req, 422, []);
      res.status(422).json({ ErrorCode: 402, Message: 'Received invalid JSON input.' });
      return;
    }
    const to = messages.map(toOf);
    if (messages.length > MAX_BATCH) {
      log(req, 422, to);
      res.status(422).json({ ErrorCode: 300, Message: `Batch exceeds the limit of ${MAX_BATCH} messages.` });
      return;
    }
    const outcomes: Outcome[] = [];
    for (const message of messages) {
      const outcome = mailbox.submit(message, template);
      // A rate limit or server error is about the whole request: nothing after it is taken.
      if (outcome.kind === 'failed') {
        log(req, outcome.status, to);
        res.status(outcome.status).json(outcome.result);
        return;
      }
      outcomes.push(outcome);
    }
    log(req, 200, to);
    answerLater(
      res,
      200,
      outcomes.map((o) => o.result),
    );
  };
  app.post('/email/batch', sendBatch(false));
  app.post('/email/batchWithTemplates', sendBatch(true));

  // Postmark's outbound message search: recipient, tag, messagestream, subject and metadata_<key> filters.
  app.get('/messages/outbound', (req, res) => {
    if (!authorized(req, res)) return;
    const count = Number(queryString(req, 'count'));
    const offset = Number(queryString(req, 'offset') ?? 0);
    if (!Number.isInteger(count) || count < 1 || count > 500 || !Number.isInteger(offset) || offset < 0) {
      log(req, 422, []);
      res.status(422).json({ ErrorCode: 609, Message: 'The count and offset parameters are required.' });
      return;
    }
    const metadata = Object.entries(req.query)
      .filter(([key, value]) => key.startsWith('metadata_') && typeof value === 'string')
      .map(([key, value]) => [key.slice('metadata_'.length), value as string] as const);
    const found = mailbox.search({
      recipient: queryString(req, 'recipient'),
      tag: queryString(req, 'tag'),
      stream: queryString(req, 'messagestream') ?? queryString(req, 'messageStream'),
      subject: queryString(req, 'subject'),
      metadata,
    });
    log(req, 200, []);
    res.json({
      TotalCount: found.length,
      Messages: found.slice(offset, offset + count).map((m) => ({
        Tag: m.Tag ?? '',
        MessageID: m.MessageID,
        MessageStream: m.MessageStream,
        To: m.Recipients.map((Email) => ({ Email, Name: null })),
        Cc: [],
        Bcc: [],
        Recipients: m.Recipients,
        ReceivedAt: m.ReceivedAt,
        From: m.From,
        Subject: m.Subject,
        Attachments: [],
        Status: 'Sent',
        TrackOpens: false,
        TrackLinks: 'None',
        Metadata: m.Metadata,
        Sandboxed: false,
      })),
    });
  });

  app.get('/server', (req, res) => {
    if (!authorized(req, res)) return;
    log(req, 200, []);
    res.json({
      ID: 1,
      Name: 'Hopflow sandbox',
      ApiTokens: [req.header('x-postmark-server-token')],
      Color: 'blue',
      SmtpApiActivated: true,
      RawEmailEnabled: false,
      DeliveryType: 'Sandbox',
      ServerLink: `http://${req.headers.host ?? ''}/`,
      InboundAddress: 'inbound@sandbox.test',
      InboundHookUrl: '',
      BounceHookUrl: '',
      OpenHookUrl: '',
      DeliveryHookUrl: '',
      PostFirstOpenOnly: false,
      InboundDomain: '',
      InboundHash: 'sandbox',
      InboundSpamThreshold: 0,
      TrackOpens: false,
      TrackLinks: 'None',
      IncludeBounceContentInHook: false,
      ClickHookUrl: '',
      EnableSmtpApiErrorHooks: false,
    });
  });

  // Inspection and control (not part of Postmark's API).
  app.get('/sandbox/messages', (req, res) => {
    const list = mailbox.list({
      to: queryString(req, 'to'),
      tag: queryString(req, 'tag'),
      stream: queryString(req, 'stream'),
    });
    const limit = Number(queryString(req, 'limit') ?? 500);
    res.json({ total: list.length, messages: list.slice(0, Number.isFinite(limit) ? limit : 500) });
  });
  app.get('/sandbox/messages/:id', (req, res) => {
    const message = mailbox.messages.find((m) => m.MessageID === req.params.id);
    if (message) res.json(message);
    else res.status(404).json({ error: 'no such message' });
  });
  app.delete('/sandbox/messages', (_req, res) => {
    mailbox.clear();
    requests.length = 0;
    requestTotal = 0;
    res.status(204).end();
  });
  app.get('/sandbox/requests', (_req, res) => {
    res.json({ total: requestTotal, requests });
  });
  app.put('/sandbox/latency', (req, res) => {
    const ms = (req.body as { ms?: unknown } | undefined)?.ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 600_000) {
      res.status(400).json({ error: 'body must be {"ms": <0..600000>}' });
      return;
    }
    answerDelayMs = ms;
    res.json({ ms });
  });
  app.get('/sandbox/suppressions', (_req, res) => {
    res.json({ suppressions: [...mailbox.suppressions], builtIn: ['*@inactive.sandbox.test'] });
  });
  app.post('/sandbox/suppressions', (req, res) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    if (typeof email !== 'string' || !isEmailAddress(email)) {
      res.status(400).json({ error: 'body must be {"email": "<address>"}' });
      return;
    }
    mailbox.suppressions.add(email.trim().toLowerCase());
    res.status(201).json({ email: email.trim().toLowerCase() });
  });
  app.delete('/sandbox/suppressions/:email', (req, res) => {
    mailbox.suppressions.delete(req.params.email.toLowerCase());
    res.status(204).end();
  });

  app.get('/', (req, res) => {
    const id = queryString(req, 'id');
    const selected = id ? mailbox.messages.find((m) => m.MessageID === id) : mailbox.messages[0];
    res.setHeader(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; frame-src 'self'",
    );
    res.type('html').send(renderMailbox(mailbox.messages, selected));
  });

  app.use((_req, res) => res.status(404).json({ ErrorCode: 404, Message: 'Not found.' }));
  const onError: ErrorRequestHandler = (err: { type?: string }, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      res.status(422).json({ ErrorCode: 402, Message: 'Received invalid JSON input.' });
    } else {
      res.status(500).json({ ErrorCode: 500, Message: `Internal server error (${randomUUID()}).` });
    }
  };
  app.use(onError);

  return listen(app, 'postmark', opts);
}

function toOf(message: unknown): string {
  const to = (message as { To?: unknown } | null)?.To;
  return typeof to === 'string' ? to : '';
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
