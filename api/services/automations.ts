import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  deleteAutomation,
  deleteDraft,
  findAutomation,
  findAutomationSecret,
  findPublishedByHash,
  findVersion,
  insertAutomation,
  insertVersion,
  latestVersion,
  latestVersionsOf,
  listAutomations,
  listVersions,
  lockAutomation,
  makeVersionLive,
  publishVersion,
  replaceDraft,
  setAutomationSecret,
  setAutomationStatus,
  updateAutomation,
  versionNumbers,
  type AutomationRow,
  type AutomationVersionRow,
} from '../../data/automations';
import { listDeliveries } from '../../data/automation-deliveries';
import { unfinishedAutomationRuns } from '../../data/automation-runs';
import { inTransaction } from '../../data/transaction';
import { contentHash } from '../../lib/automations/canonical-json';
import type { AutomationDefinition } from '../../lib/automations/definition';
import { sampleTriggerPayload } from '../../lib/automations/sample-payloads';
import { validateDefinition } from '../../lib/automations/validate';
import type { Config } from '../../lib/config';
import { AppError, badRequest, conflict, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import {
  deleteAutomationSchedule,
  describeAutomationSchedule,
  pauseAutomationSchedule,
  upsertAutomationSchedule,
} from '../../temporal/automation-schedules';
import { startAutomationRun } from '../../temporal/automation-starts';
import type { TeamMembership } from '../http/locals';
import { MAX_DEFINITION_BYTES } from '../schemas/automations';
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from './automation-secrets';

export const automationNotFound = () => new AppError(404, 'automation_not_found', 'Automation not found');
export const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');
const notLive = () =>
  conflict('This automation has no published version yet: activate it first', 'automation_not_active');

export interface AutomationServiceDeps {
  db: Knex;
  config: Pick<Config, 'api' | 'integrations'>;
  logger: Logger;
  temporal: { client: Client } | null;
}

/**
 * A definition as sent: at most MAX_DEFINITION_BYTES of JSON (413 beyond), and every problem validateDefinition
 * finds as a 400 detail under `definition.` (`definition.steps[2].config.to`).
 */
function checkDefinition(input: unknown): AutomationDefinition {
  const bytes = Buffer.byteLength(JSON.stringify(input ?? null), 'utf8');
  if (bytes > MAX_DEFINITION_BYTES) {
    throw new AppError(
      413,
      'definition_too_large',
      `The definition is larger than ${MAX_DEFINITION_BYTES / 1024} KB`,
      [{ path: 'definition', message: `${bytes} bytes of JSON; at most ${MAX_DEFINITION_BYTES}` }],
    );
  }
  const result = validateDefinition(input);
  if (!result.ok) {
    throw badRequest(
      'The definition is not valid',
      result.problems.map((p) => ({
        path: p.path ? `definition.${p.path}` : 'definition',
        message: p.message,
      })),
    );
  }
  return result.definition;
}

type VersionHead = Omit<AutomationVersionRow, 'definition'>;

function versionView(v: VersionHead, liveId: string | null) {
  return {
    id: v.id,
    version: v.version,
    contentHash: v.contentHash,
    state: v.publishedAt ? ('published' as const) : ('draft' as const),
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    publishedBy: v.publishedBy,
    publishedAt: v.publishedAt,
    live: v.id === liveId,
  };
}

function automationView(
  a: AutomationRow,
  latest: VersionHead | undefined,
  liveVersion: number | null,
  latestTriggerType: string | null,
) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    status: a.status,
    trigger: a.trigger,
    latestTriggerType,
    liveVersion,
    latestVersion: latest ? versionView(latest, a.currentVersionId) : null,
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export function createAutomationService(deps: AutomationServiceDeps) {
  const { db, config } = deps;
  const secretKey = () => config.integrations.encryptionKey;

  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  async function load(teamId: string, automationId: string): Promise<AutomationRow> {
    const automation = await findAutomation(db, teamId, automationId);
    if (!automation) throw automationNotFound();
    return automation;
  }

  /** The version triggers start runs on; 409 before the first activation. */
  async function liveVersionOf(a: AutomationRow): Promise<AutomationVersionRow> {
    if (!a.currentVersionId) throw notLive();
    const live = await findVersion(db, a.teamId, a.id, { id: a.currentVersionId });
    if (!live) throw notLive();
    return live;
  }

  async function detail(teamId: string, automationId: string) {
    const a = await load(teamId, automationId);
    const latest = await latestVersion(db, teamId, automationId);
    const live = a.currentVersionId
      ? await findVersion(db, teamId, automationId, { id: a.currentVersionId })
      : undefined;
    return {
      automation: {
        ...automationView(a, latest, live?.version ?? null, latest?.definition.trigger.type ?? null),
        definition: latest?.definition ?? null,
      },
    };
  }

  /** A new draft version, or the latest version replaced when it is a draft. */
  async function saveDraft(
    trx: Knex.Transaction,
    teamId: string,
    automationId: string,
    definition: AutomationDefinition,
    userId: string,
  ): Promise<void> {
    const hash = contentHash(definition);
    const latest = await latestVersion(trx, teamId, automationId);
    if (latest && !latest.publishedAt) {
      if (
        await replaceDraft(trx, {
          teamId,
          versionId: latest.id,
          definition,
          contentHash: hash,
          createdBy: userId,
        })
      ) {
        return;
      }
    }
    await insertVersion(trx, {
      teamId,
      automationId,
      version: (latest?.version ?? 0) + 1,
      definition,
      contentHash: hash,
      createdBy: userId,
    });
  }

  async function create(
    m: TeamMembership,
    userId: string,
    body: { name: string; description?: string | null; definition?: unknown },
  ) {
    const definition = body.definition === undefined ? undefined : checkDefinition(body.definition);
    const id = await inTransaction(db, async (trx) => {
      const automationId = await insertAutomation(trx, {
        teamId: m.teamId,
        name: body.name,
        description: body.description ?? null,
        createdBy: userId,
      });
      if (definition) await saveDraft(trx, m.teamId, automationId, definition, userId);
      return automationId;
    });
    return detail(m.teamId, id);
  }

  /** The webhook's address, scheme, secret and a curl example that works as shown. */
  function webhookView(a: AutomationRow, secret: string) {
    const trigger = a.trigger as { auth?: { scheme?: string } };
    const scheme = trigger.auth?.scheme === 'standard_webhooks' ? 'standard_webhooks' : 'token';
    const url = `${config.api.publicUrl}/api/v1/hooks/${a.id}`;
    // The lead the builder's sample and the lead template read (trigger.email, trigger.name), so a run started
    // by the example has what a lead automation's steps need.
    const body = JSON.stringify(sampleTriggerPayload({ type: 'webhook' }));
    const curl =
      scheme === 'token'
        ? [
            `curl -X POST '${url}'`,
            `  -H 'Authorization: Bearer ${secret}'`,
            `  -H 'Content-Type: application/json'`,
            `  -H "Idempotency-Key: $(openssl rand -hex 16)"`,
            `  --data '${body}'`,
          ].join(' \\\n')
        : [
            `BODY='${body}'; ID="msg_$(openssl rand -hex 16)"; TS=$(date +%s)`,
            `SIG=$(printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%s' '${secret.replace(/^whsec_/, '')}' | base64 -d | xxd -p -c 256) -binary | base64)`,
            [
              `curl -X POST '${url}'`,
              `  -H 'Content-Type: application/json'`,
              `  -H "webhook-id: $ID"`,
              `  -H "webhook-timestamp: $TS"`,
              `  -H "webhook-signature: v1,$SIG"`,
              `  --data "$BODY"`,
            ].join(' \\\n'),
          ].join('\n');
    return { webhook: { url, scheme, secret, curl } };
  }

  async function webhookAutomation(teamId: string, automationId: string): Promise<AutomationRow> {
    const a = await load(teamId, automationId);
    if (a.trigger.type !== 'webhook') {
      throw conflict(
        'The live version of this automation has no webhook trigger (activate a webhook definition first)',
        'not_a_webhook',
      );
    }
    return a;
  }

  return {
    create,
    importJson: create,

    async list(m: TeamMembership) {
      const rows = await listAutomations(db, m.teamId);
      const latest = await latestVersionsOf(
        db,
        m.teamId,
        rows.map((a) => a.id),
      );
      const live = await versionNumbers(
        db,
        m.teamId,
        rows.flatMap((a) => (a.currentVersionId ? [a.currentVersionId] : [])),
      );
      return {
        automations: rows.map((a) =>
          automationView(
            a,
            latest.get(a.id),
            a.currentVersionId ? (live.get(a.currentVersionId) ?? null) : null,
            latest.get(a.id)?.triggerType ?? null,
          ),
        ),
      };
    },

    get: (m: TeamMembership, automationId: string) => detail(m.teamId, automationId),

    async update(
      m: TeamMembership,
      userId: string,
      automationId: string,
      body: { name?: string; description?: string | null; definition?: unknown },
    ) {
      const definition = body.definition === undefined ? undefined : checkDefinition(body.definition);
      await inTransaction(db, async (trx) => {
        if (!(await lockAutomation(trx, m.teamId, automationId))) throw automationNotFound();
        await updateAutomation(trx, m.teamId, automationId, {
          name: body.name,
          description: body.description,
          updatedBy: userId,
        });
        if (definition) await saveDraft(trx, m.teamId, automationId, definition, userId);
      });
      return detail(m.teamId, automationId);
    },

    async versions(m: TeamMembership, automationId: string) {
      const a = await load(m.teamId, automationId);
      const rows = await listVersions(db, m.teamId, automationId);
      return { versions: rows.map((v) => versionView(v, a.currentVersionId)) };
    },

    async version(m: TeamMembership, automationId: string, versionOrHash: string) {
      const a = await load(m.teamId, automationId);
      // A hash is 64 hex digits (all digits is possible, if unlikely); a version number has at most 9.
      const by = /^\d{1,9}$/.test(versionOrHash)
        ? { version: Number(versionOrHash) }
        : { contentHash: versionOrHash.toLowerCase() };
      const v = await findVersion(db, m.teamId, automationId, by);
      if (!v)
        throw new AppError(404, 'version_not_found', 'No version of this automation has this number or hash');
      return { version: { ...versionView(v, a.currentVersionId), definition: v.definition } };
    },

    /**
     * Publishes the latest draft and makes it live (or makes the live version run again after a pause). A draft
     * with the content of a published version activates that version instead of publishing a copy. The
     * Schedule of a schedule trigger is created or brought to the new version in the same transaction, so a
     * failure there leaves the automation as it was.
     */
    async activate(m: TeamMembership, userId: string, automationId: string) {
      await inTransaction(db, async (trx) => {
        if (!(await lockAutomation(trx, m.teamId, automationId))) throw automationNotFound();
        const latest = await latestVersion(trx, m.teamId, automationId);
        if (!latest) throw conflict('Save a definition before activating', 'no_definition');
        let live: AutomationVersionRow;
        if (!latest.publishedAt) {
          // Saved under older rules, perhaps: a draft is checked again before it goes live.
          checkDefinition(latest.definition);
          const same = await findPublishedByHash(trx, m.teamId, automationId, latest.contentHash);
          if (same) {
            await deleteDraft(trx, m.teamId, latest.id);
            live = same;
          } else {
            await publishVersion(trx, { teamId: m.teamId, versionId: latest.id, publishedBy: userId });
            live = latest;
          }
        } else {
          const current = await findAutomation(trx, m.teamId, automationId);
          live =
            (current?.currentVersionId &&
              (await findVersion(trx, m.teamId, automationId, { id: current.currentVersionId }))) ||
            latest;
        }
        await makeVersionLive(trx, {
          teamId: m.teamId,
          id: automationId,
          versionId: live.id,
          trigger: live.definition.trigger,
          updatedBy: userId,
        });
        if (live.definition.trigger.type === 'webhook') {
          const a = await findAutomation(trx, m.teamId, automationId);
          if (a && !a.hasWebhookSecret) {
            const sealed = sealWebhookSecret(secretKey(), m.teamId, automationId, newWebhookSecret());
            await setAutomationSecret(trx, m.teamId, automationId, sealed);
          }
        }
        const a = await findAutomation(trx, m.teamId, automationId);
        if (live.definition.trigger.type === 'schedule' || deps.temporal) {
          await upsertAutomationSchedule(client(), {
            automation: { id: automationId, teamId: m.teamId, name: a?.name ?? '' },
            version: { id: live.id, version: live.version, definition: live.definition },
          });
        }
      });
      return detail(m.teamId, automationId);
    },

    /** Triggers stop starting runs (the Schedule is paused too); running runs go on. */
    async pause(m: TeamMembership, userId: string, automationId: string) {
      const a = await load(m.teamId, automationId);
      if (a.status === 'draft') throw notLive();
      if (a.trigger.type === 'schedule') await pauseAutomationSchedule(client(), automationId);
      await setAutomationStatus(db, m.teamId, automationId, 'paused', userId);
      return detail(m.teamId, automationId);
    },

    /**
     * Deletes the automation, its versions, deliveries and Schedule. With unfinished runs the caller must say
     * what happens to them: cancel (each through Temporal) or keep (they finish on the version they carry).
     */
    async remove(m: TeamMembership, automationId: string, runs?: 'cancel' | 'keep') {
      const a = await load(m.teamId, automationId);
      const unfinished = await unfinishedAutomationRuns(db, automationId);
      if (unfinished.length > 0 && !runs) {
        throw conflict(
          `This automation has ${unfinished.length} unfinished run${unfinished.length === 1 ? '' : 's'}: ` +
            'delete with ?runs=cancel to cancel them, or ?runs=keep to let them finish',
          'runs_running',
          [{ path: 'query.runs', message: `${unfinished.length} unfinished runs` }],
        );
      }
      if (runs === 'cancel' && unfinished.length > 0) {
        const c = client();
        for (const run of unfinished) {
          await c.workflow
            .getHandle(run.workflowId)
            .cancel()
            .catch((err: unknown) => {
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            });
        }
      }
      if (a.trigger.type === 'schedule') await deleteAutomationSchedule(client(), automationId);
      else if (deps.temporal) await deleteAutomationSchedule(deps.temporal.client, automationId);
      await deleteAutomation(db, m.teamId, automationId);
      return {
        deleted: true,
        runs: { unfinished: unfinished.length, action: unfinished.length ? runs : undefined },
      };
    },

    async exportJson(m: TeamMembership, automationId: string) {
      const a = await load(m.teamId, automationId);
      const latest = await latestVersion(db, m.teamId, automationId);
      if (!latest) throw conflict('This automation has no definition to export', 'no_definition');
      return {
        format: 'hopflow.automation' as const,
        name: a.name,
        description: a.description,
        definition: latest.definition,
        exported_at: new Date(),
      };
    },

    async schedule(m: TeamMembership, automationId: string) {
      const a = await load(m.teamId, automationId);
      if (a.trigger.type !== 'schedule') return { schedule: null };
      return { schedule: await describeAutomationSchedule(client(), automationId) };
    },

    async webhook(m: TeamMembership, automationId: string) {
      const a = await webhookAutomation(m.teamId, automationId);
      const sealed = await findAutomationSecret(db, a.id);
      if (!sealed)
        throw conflict('Activate the automation to generate its webhook secret', 'no_webhook_secret');
      return webhookView(a, openWebhookSecret(secretKey(), a.teamId, a.id, sealed));
    },

    /** A new secret at once; deliveries signed with the old one are refused from now on. */
    async rotateWebhook(m: TeamMembership, userId: string, automationId: string) {
      const a = await webhookAutomation(m.teamId, automationId);
      const secret = newWebhookSecret();
      await setAutomationSecret(db, a.teamId, a.id, sealWebhookSecret(secretKey(), a.teamId, a.id, secret));
      await updateAutomation(db, a.teamId, a.id, { updatedBy: userId });
      return webhookView(a, secret);
    },

    async deliveries(m: TeamMembership, automationId: string, limit: number) {
      await load(m.teamId, automationId);
      return { deliveries: await listDeliveries(db, m.teamId, automationId, limit) };
    },

    /**
     * A run started by hand (any trigger: a test run) with the payload as `trigger`: on the live version, or with
     * `version: 'latest'` on the latest version (the draft being edited, or the latest published one), even
     * before the first activation. The run record keeps the id and number of the version it ran on.
     */
    async startManualRun(
      m: TeamMembership,
      userId: string,
      automationId: string,
      payload: unknown,
      which: 'live' | 'latest' = 'live',
    ) {
      const a = await load(m.teamId, automationId);
      let live: AutomationVersionRow;
      if (which === 'latest') {
        const latest = await latestVersion(db, m.teamId, automationId);
        if (!latest) throw conflict('Save a definition before starting a run', 'no_definition');
        // Saved under older rules, perhaps: a draft is checked again before it runs (as on activation).
        if (!latest.publishedAt) checkDefinition(latest.definition);
        live = latest;
      } else live = await liveVersionOf(a);
      const started = await startAutomationRun(client(), db, {
        automation: { id: a.id, teamId: a.teamId, name: a.name },
        version: {
          id: live.id,
          version: live.version,
          definition: live.definition,
        },
        trigger: { source: 'manual', payload: payload ?? {}, key: `manual:${randomUUID()}`, userId },
      });
      return { run_id: started.runId, workflow_id: started.workflowId, status: 'started' as const };
    },
  };
}

export type AutomationService = ReturnType<typeof createAutomationService>;
