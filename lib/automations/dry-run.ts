/**
 * The dry run of one step: what it would do with sample data, with no side effect. Action steps show their
 * evaluated and checked config (the same checks the run makes, lib/automations/step-config.ts); send_email shows
 * the email as it would be sent, http_request the request that would go out and whether the address policy
 * refuses its destination; flow steps show their evaluated conditions, list or date. Errors name the field path
 * (ConfigFieldError for an expression, ConfigValueError for a value), like a failed run.
 */
import dns from 'node:dns';
import net from 'node:net';
import { textToHtml } from '../email/render';
import { IntegrationError } from '../integrations/adapters/errors';
import { MAX_WAIT_MS, parseDuration } from './durations';
import { ExpressionError } from './expression-error';
import { compileCondition, evaluateCondition, type ExpressionScope } from './expressions';
import { checkDestination, compileAllowList } from './http/address-policy';
import {
  previewHttpRequest,
  type HttpRequestLimits,
  type HttpRequestPreview,
  type ResolvedAddress,
} from './http/request';
import { ConfigFieldError, resolveConfig } from './resolve-config';
import { ConfigValueError, evaluateActionConfig, isActionType } from './step-config';

/** The step as the dry run reads it (the definition's shape; configs already validated at save). */
export interface DryRunStepSpec {
  id: string;
  type: string;
  config: Record<string, unknown>;
  if?: string;
}

export interface DryRunOptions {
  /** The operator's http_request limits (config.automations.http). */
  http: HttpRequestLimits;
  /** Resolves host names for the address check (default: the system resolver); nothing is connected to. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** The time the run would start (for wait_until's "at most a year ahead"); default now. */
  now?: Date;
}

export interface DryRunResult {
  config: unknown;
  preview: Record<string, unknown>;
}

/** Runs `work`, naming `path` in an expression failure. */
function at<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ConfigFieldError || !(error instanceof ExpressionError)) throw error;
    throw new ConfigFieldError(path, error.message);
  }
}

const systemResolve = (hostname: string): Promise<ResolvedAddress[]> =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Whether the destination would be refused: literal addresses always, host names after resolving them. */
async function destinationCheck(
  url: string,
  opts: DryRunOptions,
): Promise<{ refused: boolean; reason: string | null; addresses: string[] }> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  const list = compileAllowList(opts.http.allowedHosts);
  let addresses: string[];
  if (net.isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await (opts.resolve ?? systemResolve)(host)).map((a) => a.address);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'lookup failed';
      return {
        refused: false,
        reason: `${host} did not resolve now (${code}); it is checked again when sent`,
        addresses: [],
      };
    }
  }
  for (const address of addresses) {
    const refusal = checkDestination(list, host, address);
    if (refusal) return { refused: true, reason: refusal, addresses };
  }
  return { refused: false, reason: null, addresses };
}

async function httpPreview(config: Record<string, unknown>, opts: DryRunOptions) {
  const input = {
    method: config.method as string,
    url: config.url as string,
    headers: config.headers as Record<string, string>,
    ...(config.body !== undefined ? { body: config.body as never } : {}),
  };
  const stepTimeout = parseDuration(config.timeout as string) ?? opts.http.timeoutMs;
  const limits = {
    ...opts.http,
    timeoutMs: Math.min(stepTimeout, opts.http.timeoutMs),
    maxResponseBytes: Math.min(config.max_response_bytes as number, opts.http.maxResponseBytes),
  };
  let request: HttpRequestPreview;
  try {
    request = previewHttpRequest(input, limits);
  } catch (error) {
    if (!(error instanceof IntegrationError)) throw error;
    if (error.providerCode !== 'destination_refused')
      throw new ConfigValueError('config.url', error.plainMessage);
    // A literal refused address: show the request anyway, marked refused.
    request = previewHttpRequest(input, { ...limits, allowedHosts: ['0.0.0.0/0', '::/0'] });
  }
  const destination = await destinationCheck(input.url, opts);
  return {
    request,
    timeout_ms: limits.timeoutMs,
    max_response_bytes: limits.maxResponseBytes,
    destination,
  };
}

function sendEmailPreview(config: Record<string, unknown>) {
  const body = config.body as string;
  return {
    email: {
      to: config.to,
      subject: config.subject,
      text_body: body,
      html_body: textToHtml(body),
    },
    left_out:
      'When the address is a contact of the team, the send adds an unsubscribe footer (text and HTML) and the ' +
      'List-Unsubscribe headers, and sends nothing to an unsubscribed or refused contact; the sender is the ' +
      "team's Postmark sender.",
  };
}

function flowPreview(step: DryRunStepSpec, scope: ExpressionScope, now: Date): DryRunResult {
  const c = step.config;
  switch (step.type) {
    case 'branch': {
      const branches = (c.branches as { when: string }[]).map((b, i) =>
        at(`config.branches[${i}].when`, () => evaluateCondition(b.when, scope)),
      );
      const chosen = branches.indexOf(true);
      return {
        config: {
          branches: branches.map((value, i) => ({
            when: (c.branches as { when: string }[])[i]!.when,
            value,
          })),
        },
        preview: { branches, runs: chosen >= 0 ? `branches[${chosen}]` : 'otherwise' },
      };
    }
    case 'for_each': {
      const items = at('config.items', () => compileCondition(c.items as string).evaluate(scope));
      if (!Array.isArray(items)) {
        throw new ConfigValueError(
          'config.items',
          `gave ${JSON.stringify(items)?.slice(0, 200)}, not a list`,
        );
      }
      const max = c.max_items as number;
      return {
        config: { items, as: c.as, max_items: max, concurrency: c.concurrency },
        preview: { count: items.length, over_max_items: items.length > max, first: items[0] ?? null },
      };
    }
    case 'wait_until': {
      const until = at('config.until', () => resolveConfig(c.until, scope, 'config.until'));
      const text = typeof until === 'string' ? until : '';
      const time = Date.parse(text);
      if (!/(Z|[+-]\d\d:\d\d)$/i.test(text) || Number.isNaN(time)) {
        throw new ConfigValueError(
          'config.until',
          `${JSON.stringify(until)} is not an ISO date-time with its offset`,
        );
      }
      if (time - now.getTime() > MAX_WAIT_MS) {
        throw new ConfigValueError('config.until', `${text} is more than a year ahead`);
      }
      return {
        config: { until: text },
        preview: { until: new Date(time).toISOString(), in_past: time <= now.getTime() },
      };
    }
    case 'wait':
      return { config: c, preview: { duration_ms: parseDuration(c.duration as string) ?? null } };
    case 'wait_for_approval': {
      const message =
        typeof c.message === 'string'
          ? at('config.message', () => resolveConfig(c.message, scope, 'config.message'))
          : null;
      return { config: { ...c, message }, preview: { message } };
    }
    case 'wait_for_event':
      // The match reads the event itself, which only the run receives.
      return {
        config: {
          event: c.event ?? null,
          signal: c.signal ?? null,
          match: c.match ?? null,
          timeout: c.timeout,
        },
        preview: { waits_for: c.event ?? `signal:${String(c.signal)}`, match_evaluated: false },
      };
    default:
      throw new ConfigValueError('type', `${step.type} is not a step type`);
  }
}

/** The config as shown: the URL and header values masked as the request preview masks them. */
function maskedHttpConfig(
  config: Record<string, unknown>,
  request: HttpRequestPreview,
): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const name of Object.keys((config.headers as Record<string, string> | undefined) ?? {})) {
    headers[name] = request.headers[name.toLowerCase()] ?? '(not sent: the client sets it)';
  }
  return { ...config, url: request.url, headers };
}

/** The dry run of one step (see the module comment). */
export async function dryRunStep(
  step: DryRunStepSpec,
  scope: ExpressionScope,
  opts: DryRunOptions,
): Promise<DryRunResult> {
  const runs = step.if === undefined ? true : at('if', () => evaluateCondition(step.if!, scope));
  const when = step.if === undefined ? {} : { if: runs };
  if (!isActionType(step.type)) {
    const result = flowPreview(step, scope, opts.now ?? new Date());
    return { config: result.config, preview: { ...when, ...result.preview } };
  }
  const config = evaluateActionConfig(step.type, step.config, scope) as Record<string, unknown>;
  let preview: Record<string, unknown> = {};
  if (step.type === 'send_email') preview = sendEmailPreview(config);
  else if (step.type === 'http_request') {
    const http = await httpPreview(config, opts);
    preview = http;
    return { config: maskedHttpConfig(config, http.request), preview: { ...when, ...preview } };
  } else if (step.type === 'set_variable') preview = { vars: { [config.name as string]: config.value } };
  return { config, preview: { ...when, ...preview } };
}
