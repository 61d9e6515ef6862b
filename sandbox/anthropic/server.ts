import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { isRefusedSandboxCredential } from '../../lib/integrations/sandbox-credentials';
import { findFailure, type Failure, type FailureStatus } from './failures';
import { complete, composeReply, countTokens, tokenize } from './reply';
import { parsePipelinePrompt, writePipelineText } from './content-writer';
import { parseMessagesRequest, type MessagesRequest } from './request';
import { listen, type SandboxServer } from '../listen';
export type { SandboxServer };

export interface AnthropicSandboxOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /**
   * Pause between streamed text deltas. Default: ANTHROPIC_SANDBOX_CHUNK_DELAY_MS or 40 ms, about the pace of
   * the real API (a few tokens per delta); tests pass a few milliseconds.
   */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  model?: string;
  stream?: boolean;
  /** Text of the last user message, cut to 200 characters. */
  prompt?: string;
  status: number;
  /** The failure marker that decided the answer, if any. */
  failure?: string;
}

export const SANDBOX_MODELS = [
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  { id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
];

const ERROR_MESSAGES: Record<FailureStatus, { type: string; message: string }> = {
  429: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization of 50 requests per minute.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

const MAX_RECORDED = 500;

/**
 * Anthropic Messages API on a local port: x-api-key (or Bearer) auth, JSON and SSE answers in the real shapes, and
 * failures on demand through `[sandbox:...]` markers in the last user message (see failures.ts).
 */
export async function startAnthropicSandbox(opts: AnthropicSandboxOptions = {}): Promise<SandboxServer> {
  const chunkDelayMs = opts.chunkDelayMs ?? Number(process.env.ANTHROPIC_SANDBOX_CHUNK_DELAY_MS ?? 40);
  const recorded: RecordedRequest[] = [];
  let total = 0;
  /** Request bodies that already used up their "fail once" failure. */
  const failedOnce = new Map<string, number>();

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('request-id', `req_sbx_${randomBytes(12).toString('hex')}`);
    next();
  });

  const record = (req: Request, entry: Partial<RecordedRequest>, status: number) => {
    total++;
    recorded.unshift({
      id: randomBytes(6).toString('hex'),
      receivedAt: new Date().toISOString(),
      method: req.method,
      path: req.baseUrl + req.path,
      status,
      ...entry,
    });
    recorded.length = Math.min(recorded.length, MAX_RECORDED);
  };

  app.get('/sandbox/requests', (_req, res) => {
    res.json({ total, requests: recorded });
  });
  app.delete('/sandbox/requests', (_req, res) => {
    recorded.length = 0;
    total = 0;
    failedOnce.clear();
    res.status(204).end();
  });

  // Auth applies to the API proper (/v1), as on the real service; bodies are parsed after auth.
  app.use('/v1', (req, res, next) => {
    // The API takes the key as x-api-key; SDK 1.x sends it as a Bearer token instead. Accept both.
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const key = req.header('x-api-key') ?? bearer;
    const refusal = !key
      ? 'x-api-key header is required'
      : isRefusedSandboxCredential(key)
        ? 'invalid x-api-key'
        : undefined;
    if (refusal) {
      record(req, {}, 401);
      sendError(res, 401, 'authentication_error', refusal);
      return;
    }
    if (!req.header('anthropic-version')) {
      record(req, {}, 400);
      sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
      return;
    }
    next();
  });
  app.use(express.json({ limit: '32mb' }));

  app.get('/v1/models', (req, res) => {
    record(req, {}, 200);
    const data = SANDBOX_MODELS.map((m) => ({ type: 'model', ...m }));
    res.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  });
  app.get('/v1/models/:id', (req, res) => {
    const model = SANDBOX_MODELS.find((m) => m.id === req.params.id);
    record(req, {}, model ? 200 : 404);
    if (!model) sendError(res, 404, 'not_found_error', `model: ${req.params.id}`);
    else res.json({ type: 'model', ...model });
  });

  app.post('/v1/messages', async (req, res) => {
    const parsed = parseMessagesRequest(req.body);
    if (!parsed.ok) {
      record(req, {}, 400);
      sendError(res, 400, 'invalid_request_error', parsed.message);
      return;
    }
    const body = parsed.request;
    const bodyKey = createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
    const failure = findFailure(body.lastUserText, failedOnce.get(bodyKey) ?? 0, body.stream);
    if (failure?.limited) failedOnce.set(bodyKey, (failedOnce.get(bodyKey) ?? 0) + 1);
    const base = {
      model: body.model,
      stream: body.stream,
      prompt: body.lastUserText.slice(0, 200),
      failure: failure?.marker,
    };
    if (failure && failure.kind === 'status') {
      record(req, base, failure.status);
      if (failure.status === 429) res.setHeader('retry-after', '1');
      const { type, message } = ERROR_MESSAGES[failure.status];
      sendError(res, failure.status, type, message);
      return;
    }
    record(req, base, 200);

    // The content pipeline's draft and polish prompts get text about the product; anything else the generic reply.
    const pipeline = parsePipelinePrompt(body.lastUserText);
    const reply = pipeline
      ? writePipelineText(pipeline, seedOf(body))
      : composeReply(body.lastUserText, seedOf(body));
    const result = complete(reply, body.max_tokens, body.stop_sequences);
    const inputTokens = inputTokensOf(body);
    const message = {
      id: `msg_sbx_${randomBytes(12).toString('hex')}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
    };
    if (!body.stream) {
      res.json({
        ...message,
        content: [{ type: 'text', text: result.text }],
        stop_reason: result.stopReason,
        stop_sequence: result.stopSequence,
        usage: usage(inputTokens, result.outputTokens),
      });
      return;
    }
    await streamMessage(res, {
      message,
      inputTokens,
      text: result.text,
      stopReason: result.stopReason,
      stopSequence: result.stopSequence,
      outputTokens: result.outputTokens,
      chunkDelayMs,
      failure,
      seed: seedOf(body),
    });
  });

  app.use((_req, res) => sendError(res, 404, 'not_found_error', 'Not found'));
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      sendError(res, 400, 'invalid_request_error', 'The request body is not valid JSON.');
    } else if (err.type === 'entity.too.large') {
      sendError(res, 413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    } else {
      sendError(res, 500, 'api_error', 'Internal server error');
    }
  };
  app.use(onError);

  return listen(app, 'anthropic', opts);
}

function sendError(res: Response, status: number, type: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({
    type: 'error',
    error: { type, message },
    request_id: res.getHeader('request-id'),
  });
}

function usage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    service_tier: 'standard',
  };
}

/** Everything that shapes the answer, without the stream flag, so streamed and plain answers match. */
function seedOf(body: MessagesRequest): string {
  return JSON.stringify([body.model, body.system, body.messages]);
}

function inputTokensOf(body: MessagesRequest): number {
  const texts = [body.systemText, ...body.messages.map((m) => m.text)];
  return texts.reduce((sum, text) => sum + countTokens(text), 0) + 4 * body.messages.length + 3;
}

interface StreamPlan {
  message: { id: string; type: string; role: string; model: string };
  inputTokens: number;
  text: string;
  stopReason: string;
  stopSequence: string | null;
  outputTokens: number;
  chunkDelayMs: number;
  failure?: Failure;
  seed: string;
}

/** The real event sequence of a streamed message; deltas carry one to three tokens each. */
async function streamMessage(res: Response, plan: StreamPlan): Promise<void> {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('connection', 'keep-alive');
  res.flushHeaders();
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  send('message_start', {
    type: 'message_start',
    message: {
      ...plan.message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(plan.inputTokens, 1),
    },
  });
  send('content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  });
  send('ping', { type: 'ping' });

  const tokens = tokenize(plan.text);
  const sizes = createHash('sha256').update(plan.seed).digest();
  let deltas = 0;
  for (let i = 0; i < tokens.length && !closed; deltas++) {
    const size = 1 + ((sizes[deltas % sizes.length] ?? 0) % 3);
    const text = tokens.slice(i, i + size).join('');
    i += size;
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text },
    });
    if (plan.failure?.kind === 'mid-stream' && deltas === 2) {
      send('error', { type: 'error', error: ERROR_MESSAGES[529] });
      res.end();
      return;
    }
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence },
    usage: { output_tokens: plan.outputTokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}
