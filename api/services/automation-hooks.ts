import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import {
  claimDelivery,
  insertDelivery,
  markDeliveryDuplicate,
  releaseDelivery,
  type DeliveryKeySource,
  type DeliveryStatus,
} from '../../data/automation-deliveries';
import { findAutomationRun } from '../../data/automation-runs';
import {
  findAutomationById,
  findAutomationSecret,
  findVersion,
  type AutomationRow,
} from '../../data/automations';
import { parseDuration } from '../../lib/automations/durations';
import { evaluateCondition, evaluateTemplate, type ExpressionScope } from '../../lib/automations/expressions';
import { runKey } from '../../lib/automations/walk';
import type { Config } from '../../lib/config';
import { AppError, badRequest, conflict, unauthorized } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { isStorableText, unstorableTextPaths } from '../../lib/text';
import { startAutomationRun } from '../../temporal/automation-starts';
import { automationRunWorkflowId } from '../../workflows/contracts/automation-run';
import { automationNotFound, temporalUnavailable } from './automations';
import { openWebhookSecret } from './automation-secrets';

/** Standard Webhooks' default: a delivery signed longer ago (or further ahead) than this is refused. */
const DEFAULT_TOLERANCE_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer delivery keys are refused: a key names a delivery, it is not a payload. */
const MAX_KEY_CHARS = 512;

export interface HookDelivery {
  automationId: string;
  /** The exact bytes received (signatures and the body-hash key are over them). */
  raw: Buffer;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** Whether the body was sent as JSON (application/json or +json). */
  isJson: boolean;
}

export interface HookAnswer {
  status: 202;
  body: { run_id: string | null; workflow_id: string | null; status: 'started' | 'duplicate' | 'filtered' };
}

export interface AutomationHookDeps {
  db: Knex;
  config: Pick<Config, 'integrations'>;
  logger: Logger;
  temporal: { client: Client } | null;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/** Equal strings, compared in constant time whatever their lengths (digests of both are compared). */
const sameSecret = (given: string, expected: string) => timingSafeEqual(sha256(given), sha256(expected));

interface WebhookTrigger {
  type: 'webhook';
  auth?: { scheme?: string; tolerance?: string };
  filter?: string;
  idempotency_key?: string;
}

/**
 * The public door of webhook automations: authenticates the delivery (token or Standard Webhooks signature),
 * records it under its key BEFORE answering, and starts the run through startAutomationRun once per key. Every
 * delivery that reaches a known automation is recorded: refused (no payload kept), filtered, started, duplicate.
 */
/** How long a repeated delivery waits for the first delivery of its key to start the run before starting it. */
const FIRST_START_GRACE_MS = 5_000;

export function createAutomationHookService(deps: AutomationHookDeps) {
  const { db } = deps;

  async function refuse(
    a: AutomationRow,
    d: HookDelivery,
    error: AppError,
    key?: { key: string; source: DeliveryKeySource },
  ): Promise<never> {
    await insertDelivery(db, {
      automationId: a.id,
      teamId: a.teamId,
      key: key?.key ?? null,
      keySource: key?.source ?? null,
      status: 'refused',
      reason: error.message,
      bodyBytes: d.raw.length,
    });
    throw error;
  }

  /** 401 unless the delivery carries the secret (token) or a valid, fresh signature (Standard Webhooks). */
  function authProblem(trigger: WebhookTrigger, secret: string, d: HookDelivery): string | undefined {
    if (trigger.auth?.scheme === 'standard_webhooks') {
      const id = d.header('webhook-id');
      const timestamp = d.header('webhook-timestamp');
      const signatures = d.header('webhook-signature');
      if (!id || !timestamp || !signatures) {
        return 'Missing webhook-id, webhook-timestamp or webhook-signature header';
      }
      if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp is not a Unix time in seconds';
      const tolerance = parseDuration(trigger.auth.tolerance ?? '') ?? DEFAULT_TOLERANCE_MS;
      const sentAt = Number(timestamp) * 1000;
      if (Math.abs(Date.now() - sentAt) > tolerance) {
        return `webhook-timestamp is more than ${tolerance / 1000} seconds away from now`;
      }
      // The library signs; the tolerance is the trigger's (the library's verify fixes it at 5 minutes).
      const expected = new Webhook(secret).sign(id, new Date(sentAt), d.raw).split(',')[1] ?? '';
      const ok = signatures
        .split(' ')
        .map((s) => s.split(','))
        .some(
          ([version, signature]) =>
            version === 'v1' && signature !== undefined && sameSecret(signature, expected),
        );
      return ok ? undefined : 'No webhook-signature matches the body';
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(d.header('authorization') ?? '');
    if (!match?.[1]) return 'Missing Authorization: Bearer <secret> header';
    return sameSecret(match[1], secret) ? undefined : 'The token does not match';
  }

  /** The delivery key: Idempotency-Key, else webhook-id, else the trigger's expression, else the body's hash. */
  function keyOf(
    trigger: WebhookTrigger,
    d: HookDelivery,
    scope: ExpressionScope,
  ): { key: string; source: DeliveryKeySource } | { problem: string } {
    const header = d.header('idempotency-key');
    const webhookId = d.header('webhook-id');
    let candidate: { key: string; source: DeliveryKeySource } | undefined;
    if (header) candidate = { key: header, source: 'idempotency-key' };
    else if (webhookId) candidate = { key: webhookId, source: 'webhook-id' };
    else if (trigger.idempotency_key?.trim()) {
      const text = trigger.idempotency_key;
      let value: unknown;
      try {
        value = evaluateTemplate(text.includes('{{') ? text : `{{ ${text} }}`, scope);
      } catch (err) {
        return {
          problem: `idempotency_key could not be evaluated: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') {
        return {
          problem: `idempotency_key gave ${JSON.stringify(value) ?? 'nothing'}, not a string or number`,
        };
      }
      candidate = { key: String(value), source: 'payload' };
    }
    if (!candidate) return { key: sha256(d.raw).toString('hex'), source: 'body-hash' };
    if (candidate.key.length > MAX_KEY_CHARS)
      return { problem: `The delivery key is longer than ${MAX_KEY_CHARS} characters` };
    // A key PostgreSQL cannot store (from the payload) is kept as its hash.
    if (!isStorableText(candidate.key)) candidate.key = `sha256:${sha256(candidate.key).toString('hex')}`;
    return candidate;
  }

  return {
    async receive(d: HookDelivery): Promise<HookAnswer> {
      const a = UUID.test(d.automationId) ? await findAutomationById(db, d.automationId) : undefined;
      if (!a) throw automationNotFound();
      if (a.status === 'draft' || !a.currentVersionId) {
        return refuse(a, d, conflict('This automation is not active', 'automation_not_active'));
      }
      const trigger = a.trigger as unknown as WebhookTrigger;
      const sealed = await findAutomationSecret(db, a.id);
      if (trigger.type !== 'webhook' || !sealed) {
        return refuse(a, d, conflict('This automation is not started by webhooks', 'not_a_webhook'));
      }
      const problem = authProblem(
        trigger,
        openWebhookSecret(deps.config.integrations.encryptionKey, a.teamId, a.id, sealed),
        d,
      );
      if (problem) return refuse(a, d, unauthorized(problem, 'webhook_unauthorized'));
      if (a.status !== 'active') {
        return refuse(
          a,
          d,
          conflict(`This automation is ${a.status}: deliveries start no runs`, 'automation_paused'),
        );
      }
      if (!d.isJson) {
        return refuse(
          a,
          d,
          new AppError(415, 'unsupported_media_type', 'Send the payload as application/json'),
        );
      }
      let payload: unknown;
      try {
        payload = JSON.parse(d.raw.toString('utf8'));
      } catch {
        return refuse(
          a,
          d,
          badRequest('The body is not valid JSON', [{ path: '(body)', message: 'not JSON' }]),
        );
      }
      const badText = unstorableTextPaths(payload);
      if (badText.length > 0) {
        return refuse(
          a,
          d,
          badRequest(
            'The payload contains text that cannot be stored (NUL or a broken emoji)',
            badText
              .slice(0, 20)
              .map((path) => ({ path: path || '(body)', message: 'NUL or a lone surrogate' })),
          ),
        );
      }
      const scope: ExpressionScope = { trigger: payload, steps: {}, vars: {}, run: {} };
      const key = keyOf(trigger, d, scope);
      if ('problem' in key) return refuse(a, d, badRequest(key.problem));
      const record = (
        status: Exclude<DeliveryStatus, 'started'>,
        extra: { reason?: string; runWorkflowId?: string },
      ) =>
        insertDelivery(db, {
          automationId: a.id,
          teamId: a.teamId,
          key: key.key,
          keySource: key.source,
          status,
          bodyBytes: d.raw.length,
          ...extra,
        });

      if (trigger.filter?.trim()) {
        let pass: boolean;
        try {
          pass = evaluateCondition(trigger.filter, scope);
        } catch (err) {
          const message = `The filter could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
          return refuse(a, d, badRequest(message), key);
        }
        if (!pass) {
          await record('filtered', { reason: 'the filter gave false' });
          return { status: 202, body: { run_id: null, workflow_id: null, status: 'filtered' } };
        }
      }

      const workflowId = automationRunWorkflowId(a.id, runKey(key.key));
      const liveVersionId = a.currentVersionId;
      const startRun = async () => {
        if (!deps.temporal) throw temporalUnavailable();
        const live = liveVersionId ? await findVersion(db, a.teamId, a.id, { id: liveVersionId }) : undefined;
        if (!live) throw new Error(`live version ${liveVersionId} of automation ${a.id} not found`);
        return startAutomationRun(deps.temporal.client, db, {
          automation: { id: a.id, teamId: a.teamId, name: a.name },
          version: { id: live.id, version: live.version, definition: live.definition },
          trigger: { source: 'webhook', payload, key: key.key },
        });
      };
      const claimed = await claimDelivery(db, {
        automationId: a.id,
        teamId: a.teamId,
        key: key.key,
        keySource: key.source,
        runWorkflowId: workflowId,
        bodyBytes: d.raw.length,
      });
      if (!claimed) {
        // The first delivery of this key may still be starting its run: give it a moment. If there is still no
        // run (its process died between claiming the key and starting), a 202 must not answer for a run that does
        // not exist, so this delivery starts it (the start is idempotent per key).
        let run = await findAutomationRun(db, a.teamId, workflowId);
        for (let waited = 0; !run?.runId && waited < FIRST_START_GRACE_MS; waited += 250) {
          await sleep(250);
          run = await findAutomationRun(db, a.teamId, workflowId);
        }
        if (!run?.runId) {
          await startRun();
          run = await findAutomationRun(db, a.teamId, workflowId);
        }
        await record('duplicate', { runWorkflowId: workflowId });
        return {
          status: 202,
          body: { run_id: run?.runId ?? null, workflow_id: workflowId, status: 'duplicate' },
        };
      }
      try {
        const started = await startRun();
        if (!started.started) await markDeliveryDuplicate(db, claimed);
        return {
          status: 202,
          body: {
            run_id: started.runId,
            workflow_id: started.workflowId,
            status: started.started ? 'started' : 'duplicate',
          },
        };
      } catch (err) {
        // The key is given back, so the sender's retry can start the run.
        await releaseDelivery(
          db,
          claimed,
          `The run could not be started: ${err instanceof Error ? err.message : String(err)}`,
        );
        deps.logger.warn({ err, automationId: a.id }, 'webhook delivery could not start its run');
        throw err;
      }
    },
  };
}

export type AutomationHookService = ReturnType<typeof createAutomationHookService>;
