/**
 * The action steps of the automation interpreter. Each runs as one activity call, `runAutomationAction`: the
 * scope's stored outputs are read back, the step's config templates are evaluated and checked
 * (lib/automations/step-config.ts), every record id is looked up within the run's team (another team's id is
 * "not found"), and the action is done at most once per run and step (`workflowId` + `stepKey`) however often
 * Temporal retries it. generate_content is two activities around a child workflow (prepareAutomationContent,
 * then the interpreter starts `content:<id>`, then awaitAutomationContent).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { findContactByEmail, insertAutomationContent } from '../data/automation-actions';
import {
  findBonusOrder,
  findRevocation,
  insertDeliveries,
  lockReceipt,
  recordBonusOrder,
} from '../data/bonus-deliveries';
import { bonusesOfCampaign, campaignForVendor, findBonus, type BonusRow } from '../data/bonuses';
import { campaignForTid, findCampaign } from '../data/campaigns';
import { updateContactFields } from '../data/contact-list';
import { findContact, lockContactStatus, upsertContact, type ContactRow } from '../data/contacts';
import { findCampaignForContent, findContent, type ContentView } from '../data/content';
import { runningWorkflowIds } from '../data/sequence-runs';
import { findSequence } from '../data/sequences';
import { inTransaction } from '../data/transaction';
import { parseDuration } from '../lib/automations/durations';
import { contactTaggedPayload } from '../lib/automations/platform-events';
import type { ExpressionScope } from '../lib/automations/expressions';
import { sendHttpRequest } from '../lib/automations/http/request';
import { ConfigFieldError } from '../lib/automations/resolve-config';
import {
  ConfigValueError,
  evaluateActionConfig,
  isActionType,
  type ActionConfig,
  type ActionType,
} from '../lib/automations/step-config';
import type { Config } from '../lib/config';
import { MAX_TAGS_PER_CONTACT } from '../lib/contacts/fields';
import { contentTitle, contentTypeLabels } from '../lib/content/prompts';
import { toActivityFailure } from '../lib/integrations/adapters/errors';
import { hashLinkToken, signLinkToken } from '../lib/links';
import { firePlatformEvent } from '../temporal/automation-events';
import { createSequenceRunner } from '../temporal/sequence-runs';
import type { AutomationStepSpec } from '../workflows/contracts/automation-run';
import {
  INVALID_TRANSITION,
  REVIEW_UPDATE,
  type ContentProgress,
  type ContentStatus,
  type ReviewInput,
} from '../workflows/contracts/content-pipeline';
import { expressionFailure, keepOutput, resolveScope, stepConfigFailure } from './automation-scope';
import { createBonusDeliveryActivities } from './bonus-delivery';
import { createEmailActivities } from './email';

/** The attempt under way (1 when called outside a Temporal activity, as tests do). */
function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export interface AutomationActionInput {
  teamId: string;
  automationId: string;
  workflowId: string;
  stepKey: string;
  step: AutomationStepSpec;
  scope: ExpressionScope;
}

export interface AutomationActionResult {
  /** The step's output as the run keeps it (a `{ $ref, bytes }` when it was stored for its size). */
  output: unknown;
  /** Which attempt succeeded (1 the first), for the run's step timeline. */
  attempt: number;
}

export interface PrepareContentInput {
  teamId: string;
  workflowId: string;
  stepKey: string;
  step: AutomationStepSpec;
  scope: ExpressionScope;
}

export interface PreparedContent {
  contentId: string;
  /** The child run's summary, as the API gives it: `Review article for <campaign>`. */
  summary: string;
  campaignId: string;
}

export interface AwaitContentInput {
  teamId: string;
  contentId: string;
  /** draft: until the draft awaits review; reviewed: until it is approved, scheduled, published or rejected. */
  until: 'draft' | 'reviewed';
}

export interface AwaitedContent {
  content_id: string;
  status: ContentStatus;
  title: string;
  url: string | null;
}

/** Failure type of a content pipeline that failed while a step waited for it (not retried). */
const CONTENT_FAILED = 'ContentFailed';

/** How often awaitAutomationContent and publish_wordpress read the content row. */
const POLL_MS = 2_000;

/** The email dedupe key of a send_email step: one message per run and step, ever. */
export const automationEmailKey = (workflowId: string, stepKey: string): string =>
  `auto:${workflowId}:${stepKey}`;

/** The id of the content row a generate_content step creates: the same for every attempt of the step. */
function automationContentId(teamId: string, workflowId: string, stepKey: string): string {
  const h = createHash('sha256').update(`automation-content\0${teamId}\0${workflowId}\0${stepKey}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // a name-based (v5-style) uuid
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const notFound = (field: string, what: string) =>
  stepConfigFailure(field, `no ${what} of this team has this id`);

const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Postmark keeps metadata values up to 80 characters. */
const meta = (value: string) => value.slice(0, 80);

/** Only a reviewed item (and one that is being published right now) counts as reviewed. */
const reviewedStatuses: ReadonlySet<ContentStatus> = new Set([
  'scheduled',
  'published',
  'rejected',
  'draft',
  // A social post approved as copy-ready: reviewed, never sent to WordPress.
  'approved',
]);

export interface AutomationActionDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'links' | 'bonuses' | 'automations'>;
  temporal?: Client;
}

export function createAutomationActionActivities(deps: AutomationActionDeps) {
  const { db, config } = deps;
  const email = createEmailActivities(deps);
  const bonusActivities = createBonusDeliveryActivities(deps);
  const sequences = createSequenceRunner({ db, temporal: deps.temporal ?? null });

  const temporal = (): Client => {
    // Retryable: a worker started without its client is a deployment problem, not the step's.
    if (!deps.temporal) throw new Error('this worker has no Temporal client for automation steps');
    return deps.temporal;
  };

  /** The evaluated, checked config; expression and value problems fail the step (not retried), naming the field. */
  async function configOf<T extends ActionType>(
    type: T,
    input: { teamId: string; step: AutomationStepSpec; scope: ExpressionScope },
  ): Promise<ActionConfig<T>> {
    const scope = await resolveScope(db, input.teamId, input.scope);
    try {
      return evaluateActionConfig(type, input.step.config, scope);
    } catch (error) {
      if (error instanceof ConfigFieldError) throw expressionFailure(new Error(error.reason), error.path);
      if (error instanceof ConfigValueError) throw stepConfigFailure(error.path, error.reason);
      throw error;
    }
  }

  /** A contact named by id or email address (the config's `contact`); `create` adds a new address. */
  async function contactOf(teamId: string, ref: string, field: string, create: boolean): Promise<ContactRow> {
    const value = ref.trim();
    if (isUuid(value)) {
      const contact = await findContact(db, teamId, value);
      if (!contact) throw notFound(field, 'contact');
      return contact;
    }
    if (!value.includes('@')) {
      throw stepConfigFailure(field, `${JSON.stringify(value)} is neither a contact id nor an email address`);
    }
    if (create) return upsertContact(db, { teamId, email: value, source: 'api' });
    const contact = await findContactByEmail(db, teamId, value);
    if (!contact) throw stepConfigFailure(field, `no contact of this team has the address ${value}`);
    return contact;
  }

  async function sendEmail(input: AutomationActionInput) {
    const c = await configOf('send_email', input);
    if (c.campaign_id && !(await findCampaign(db, input.teamId, c.campaign_id))) {
      throw notFound('config.campaign_id', 'campaign');
    }
    // A contact of the team gets the unsubscribe footer and headers, and no email once unsubscribed or refused.
    const contact = await findContactByEmail(db, input.teamId, c.to);
    const result = await email.sendTrackedEmail({
      teamId: input.teamId,
      idempotencyKey: automationEmailKey(input.workflowId, input.stepKey),
      kind: 'notification',
      to: c.to,
      subject: c.subject,
      textBody: c.body,
      tag: 'automation',
      metadata: {
        automation_id: input.automationId,
        step: meta(input.stepKey),
        ...(c.campaign_id ? { campaign_id: c.campaign_id } : {}),
      },
      ...(contact ? { contactId: contact.id } : {}),
    });
    return {
      message_id: result.status === 'sent' ? result.messageId : null,
      to: c.to,
      status: result.status,
      ...(result.status === 'sent' ? {} : { reason: result.reason }),
      contact_id: contact?.id ?? null,
    };
  }

  async function sequenceOf(teamId: string, sequenceId: string) {
    const sequence = await findSequence(db, teamId, sequenceId);
    if (!sequence) throw notFound('config.sequence_id', 'sequence');
    return sequence;
  }

  async function addToSequence(input: AutomationActionInput) {
    const c = await configOf('add_to_sequence', input);
    const sequence = await sequenceOf(input.teamId, c.sequence_id);
    if (sequence.stepCount === 0)
      throw stepConfigFailure('config.sequence_id', 'the sequence has no steps yet');
    const contact = await contactOf(input.teamId, c.contact, 'config.contact', true);
    temporal();
    // The enrollment is its own idempotency: one run row per (sequence, contact), started with USE_EXISTING.
    const outcome = await sequences.enroll(sequence, [contact], 'manual');
    const status =
      outcome.started.length > 0
        ? 'started'
        : outcome.alreadyRunning.length > 0
          ? 'already_running'
          : 'skipped';
    return {
      sequence_id: sequence.id,
      contact_id: contact.id,
      email: contact.email,
      status,
      ...(status === 'skipped'
        ? {
            reason:
              contact.status === 'active'
                ? 'the contact already went through this sequence'
                : `the contact is ${contact.status}`,
          }
        : {}),
    };
  }

  async function removeFromSequence(input: AutomationActionInput) {
    const c = await configOf('remove_from_sequence', input);
    const sequence = await sequenceOf(input.teamId, c.sequence_id);
    const contact = await contactOf(input.teamId, c.contact, 'config.contact', false);
    const ids = await runningWorkflowIds(db, {
      teamId: input.teamId,
      contactId: contact.id,
      sequenceId: sequence.id,
    });
    if (ids.length > 0) temporal();
    const stopped = await sequences.stopRuns(ids, c.reason);
    return { sequence_id: sequence.id, contact_id: contact.id, email: contact.email, stopped };
  }

  async function tagContact(input: AutomationActionInput) {
    const c = await configOf('tag_contact', input);
    // A new address becomes a contact, as add_to_sequence does: a lead posted to a webhook is tagged at once.
    const found = await contactOf(input.teamId, c.contact, 'config.contact', true);
    const result = await inTransaction(db, async (trx) => {
      // Locked, so two steps tagging the same contact at once do not lose each other's tags.
      await lockContactStatus(trx, input.teamId, found.id);
      const contact = await findContact(trx, input.teamId, found.id);
      if (!contact) throw stepConfigFailure('config.contact', 'the contact was deleted');
      const remove = new Set(c.remove);
      const tags = [...new Set([...contact.tags, ...c.add])].filter((t) => !remove.has(t)).sort();
      if (tags.length > MAX_TAGS_PER_CONTACT) {
        throw stepConfigFailure('config.add', `a contact has at most ${MAX_TAGS_PER_CONTACT} tags`);
      }
      await updateContactFields(trx, input.teamId, contact.id, { tags });
      return {
        contact: { ...contact, tags },
        output: {
          contact_id: contact.id,
          email: contact.email,
          tags,
          added: tags.filter((t) => !contact.tags.includes(t)),
          removed: contact.tags.filter((t) => !tags.includes(t)),
        },
      };
    });
    if (result.output.added.length > 0) {
      // Keyed on the run and step: a retried step raises its tagging once.
      await firePlatformEvent(
        deps.temporal,
        {
          teamId: input.teamId,
          type: 'contact.tagged',
          id: `${input.workflowId}:${input.stepKey}`,
          payload: contactTaggedPayload(result.contact, result.output.added, 'automation'),
        },
        (message, details) => {
          log.warn(message, details);
        },
      );
    }
    return result.output;
  }

  /** The campaign of a sale line: an earlier order of it, else the trigger's tid, else the vendor's rule. */
  async function saleCampaign(teamId: string, receipt: string, itemNo: string, trigger: unknown) {
    const order = await findBonusOrder(db, teamId, receipt, itemNo);
    if (order?.campaignId) return order.campaignId;
    const t = (typeof trigger === 'object' && trigger !== null ? trigger : {}) as Record<string, unknown>;
    const codes = t.tracking_codes ?? t.trackingCodes;
    const tid =
      typeof t.tid === 'string'
        ? t.tid
        : Array.isArray(codes)
          ? (codes as unknown[]).find((x) => typeof x === 'string' && x.trim() !== '')
          : undefined;
    const byTid = typeof tid === 'string' ? await campaignForTid(db, teamId, tid) : undefined;
    if (byTid) return byTid;
    return typeof t.vendor === 'string' ? campaignForVendor(db, teamId, t.vendor, itemNo) : undefined;
  }

  async function deliverBonus(input: AutomationActionInput) {
    const c = await configOf('deliver_bonus', input);
    const { teamId } = input;
    let bonuses: BonusRow[];
    let campaignId: string | undefined;
    if (c.bonus_ids) {
      bonuses = [];
      for (const [i, id] of c.bonus_ids.entries()) {
        const bonus = await findBonus(db, teamId, id);
        if (!bonus) throw notFound(`config.bonus_ids[${i}]`, 'bonus');
        bonuses.push(bonus);
      }
      const order = await findBonusOrder(db, teamId, c.receipt, c.item_no);
      campaignId = order?.campaignId ?? bonuses.find((b) => b.campaignIds.length > 0)?.campaignIds[0];
      if (!campaignId)
        throw stepConfigFailure('config.bonus_ids', 'the bonuses are not offered by any campaign');
    } else {
      const scope = await resolveScope(db, teamId, input.scope);
      campaignId = await saleCampaign(teamId, c.receipt, c.item_no, scope.trigger);
      if (!campaignId) {
        throw stepConfigFailure(
          'config.bonus_ids',
          'no campaign matches this sale (tid or vendor rule): name bonus_ids',
        );
      }
      bonuses = await bonusesOfCampaign(db, teamId, campaignId);
    }
    const base = { receipt: c.receipt, item_no: c.item_no, email: c.email, campaign_id: campaignId };
    if (bonuses.length === 0) return { ...base, status: 'no_bonuses', bonuses: [], contact_id: null };
    const saleCampaignId = campaignId;
    const campaign = await findCampaign(db, teamId, saleCampaignId);
    const prepared = await inTransaction(db, async (trx) => {
      // The same lock and order row as the ClickBank bonus runs: a refund that came first blocks the delivery.
      await lockReceipt(trx, teamId, c.receipt);
      const earlier = await findBonusOrder(trx, teamId, c.receipt, c.item_no);
      if (earlier?.status === 'blocked') return { blocked: earlier.reason ?? 'Not delivered' };
      if (!earlier) {
        const revocation = await findRevocation(trx, teamId, c.receipt);
        if (revocation) {
          const reason = `Not delivered: a ${revocation.reason} of this receipt arrived before the sale`;
          await recordBonusOrder(trx, {
            teamId,
            receipt: c.receipt,
            itemNo: c.item_no,
            status: 'blocked',
            reason,
            campaignId,
            buyerEmail: c.email,
            contactId: null,
            transactionType: 'SALE',
          });
          return { blocked: reason };
        }
      }
      const contact = await upsertContact(trx, {
        teamId,
        email: c.email,
        tags: ['buyer', ...(campaign ? [campaign.trackingId] : [])],
        source: 'sale',
      });
      // Whole seconds: the expiry is part of the signed token, which must come out the same on every retry.
      const exp = Math.floor(Date.now() / 1000) + config.bonuses.linkTtlDays * 86_400;
      const expiresAt = new Date(exp * 1000);
      await insertDeliveries(
        trx,
        bonuses.map((bonus) => {
          const id = randomUUID();
          const token = signLinkToken(config.links.secret, 'bonus', { id, exp });
          return {
            id,
            teamId,
            bonusId: bonus.id,
            campaignId: saleCampaignId,
            contactId: contact.id,
            receipt: c.receipt,
            itemNo: c.item_no,
            buyerEmail: c.email,
            tokenHash: hashLinkToken(token),
            expiresAt,
          };
        }),
      );
      await recordBonusOrder(trx, {
        teamId,
        receipt: c.receipt,
        itemNo: c.item_no,
        status: 'delivered',
        reason: null,
        campaignId,
        buyerEmail: c.email,
        contactId: contact.id,
        transactionType: 'SALE',
      });
      return { contactId: contact.id };
    });
    const listed = bonuses.map((b) => ({ id: b.id, name: b.name }));
    if ('blocked' in prepared)
      return { ...base, status: 'blocked', reason: prepared.blocked, bonuses: listed, contact_id: null };
    // One email per receipt and item (`bonus:<receipt>:<item>`), listing every live delivery of the line.
    const sent = await bonusActivities.sendBonusEmail({ teamId, receipt: c.receipt, itemNo: c.item_no });
    return {
      ...base,
      status: sent.status === 'sent' ? 'delivered' : sent.status,
      bonuses: listed,
      contact_id: prepared.contactId,
      message_id: sent.status === 'sent' ? sent.messageId : null,
    };
  }

  /** Reads the content row every 2 s (heartbeating) until `done` says so; a failed pipeline fails the step. */
  async function pollContent(
    teamId: string,
    contentId: string,
    done: (row: ContentView) => boolean,
  ): Promise<ContentView> {
    const ctx = Context.current();
    for (;;) {
      const row = await findContent(db, teamId, contentId);
      if (!row) throw notFound('config.content_id', 'content item');
      if (done(row)) return row;
      if (row.status === 'failed') {
        throw ApplicationFailure.create({
          type: CONTENT_FAILED,
          message: `the content pipeline failed: ${row.failure ?? 'no reason given'}`,
          nonRetryable: true,
        });
      }
      ctx.heartbeat({ status: row.status, step: row.step });
      await ctx.sleep(POLL_MS);
    }
  }

  const publishedOutput = (row: ContentView) => ({
    content_id: row.id,
    status: row.status,
    post_id: row.wordpressPostId,
    url: row.publishedUrl,
    publish_at: row.publishAt?.toISOString() ?? null,
  });

  async function publishWordpress(input: AutomationActionInput) {
    const c = await configOf('publish_wordpress', input);
    const { teamId } = input;
    let publishAt: string | null = null;
    if (c.publish_at !== undefined && c.publish_at !== '') {
      const at = Date.parse(c.publish_at);
      if (!/(Z|[+-]\d\d:\d\d)$/i.test(c.publish_at) || Number.isNaN(at)) {
        throw stepConfigFailure(
          'config.publish_at',
          `${JSON.stringify(c.publish_at)} is not an ISO date-time with its offset`,
        );
      }
      if (c.status === 'draft')
        throw stepConfigFailure('config.publish_at', 'a WordPress draft cannot be scheduled');
      publishAt = new Date(at).toISOString();
    }
    const row = await findContent(db, teamId, c.content_id);
    if (!row) throw notFound('config.content_id', 'content item');
    // Done by an earlier attempt (or by a reviewer): the same answer, nothing sent again.
    if (reviewedStatuses.has(row.status) && row.status !== 'rejected') return publishedOutput(row);
    if (row.status === 'rejected' || row.status === 'failed' || row.status === 'generating') {
      throw stepConfigFailure(
        'config.content_id',
        row.status === 'generating'
          ? 'the content is still being generated; let generate_content wait for its draft first'
          : `the content is ${row.status} and cannot be published`,
      );
    }
    // awaiting_review with step 'publish' is an approval already being published: do not approve again.
    if (row.step !== 'publish') {
      const review: ReviewInput = { decision: 'approve', publishAt, publish: c.status === 'publish' };
      try {
        // The update id makes a retried attempt's update the same update, answered once by the pipeline.
        await temporal()
          .workflow.getHandle(row.workflowId)
          .executeUpdate<ContentProgress, [ReviewInput]>(REVIEW_UPDATE, {
            args: [review],
            updateId: `auto:${input.workflowId}:${input.stepKey}`,
          });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          const cause = err.cause;
          const message =
            cause instanceof ApplicationFailure && cause.type === INVALID_TRANSITION
              ? cause.message
              : (cause?.message ?? err.message);
          throw stepConfigFailure('config.content_id', message);
        }
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        const now = await findContent(db, teamId, c.content_id);
        if (now && reviewedStatuses.has(now.status) && now.status !== 'rejected') return publishedOutput(now);
        throw stepConfigFailure(
          'config.content_id',
          `the content is ${now?.status ?? 'gone'}; its pipeline has ended`,
        );
      }
    }
    const final = await pollContent(
      teamId,
      row.id,
      (r) => r.status === 'scheduled' || r.status === 'published' || r.status === 'draft',
    );
    return publishedOutput(final);
  }

  async function httpRequest(input: AutomationActionInput) {
    const c = await configOf('http_request', input);
    const limits = config.automations.http;
    const stepTimeout = parseDuration(c.timeout) ?? limits.timeoutMs;
    try {
      const response = await sendHttpRequest(
        {
          method: c.method,
          url: c.url,
          headers: c.headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        },
        {
          ...limits,
          // The step's own limits, bounded by the operator's.
          timeoutMs: Math.min(stepTimeout, limits.timeoutMs),
          maxResponseBytes: Math.min(c.max_response_bytes, limits.maxResponseBytes),
        },
      );
      return {
        status: response.status,
        headers: response.headers,
        body: response.body,
        url: response.url,
        redirects: response.redirects,
      };
    } catch (err) {
      throw toActivityFailure(err);
    }
  }

  async function setVariable(input: AutomationActionInput) {
    const c = await configOf('set_variable', input);
    // A large value is stored on its own, so `vars.<name>` can hold its reference (read back by resolveScope).
    const value = await keepOutput(db, {
      teamId: input.teamId,
      workflowId: input.workflowId,
      stepKey: `${input.stepKey}.value`,
      value: c.value,
    });
    return { name: c.name, value };
  }

  const actions: Record<
    Exclude<ActionType, 'generate_content'>,
    (input: AutomationActionInput) => Promise<unknown>
  > = {
    send_email: sendEmail,
    add_to_sequence: addToSequence,
    remove_from_sequence: removeFromSequence,
    tag_contact: tagContact,
    deliver_bonus: deliverBonus,
    publish_wordpress: publishWordpress,
    http_request: httpRequest,
    set_variable: setVariable,
  };

  return {
    /** One action step; its output goes through keepOutput (large outputs are stored and referenced). */
    async runAutomationAction(input: AutomationActionInput): Promise<AutomationActionResult> {
      const type = input.step.type;
      if (!isActionType(type) || type === 'generate_content') {
        throw stepConfigFailure(
          'type',
          `${type} is not an action step (runAutomationAction runs actions only)`,
        );
      }
      const value = await actions[type](input);
      const output = await keepOutput(db, {
        teamId: input.teamId,
        workflowId: input.workflowId,
        stepKey: input.stepKey,
        value,
      });
      return { output, attempt: currentAttempt() };
    },

    /**
     * generate_content, before its child run: the content row, inserted as the API's content service inserts it,
     * under an id derived from the run and step (a retry returns the same row). The interpreter then starts
     * `contentPipelineWorkflow` with id `content:<contentId>` and input `{ contentId, teamId }`.
     */
    async prepareAutomationContent(input: PrepareContentInput): Promise<PreparedContent> {
      const c = await configOf('generate_content', input);
      const campaign = await findCampaignForContent(db, input.teamId, c.campaign_id);
      if (!campaign) throw notFound('config.campaign_id', 'campaign');
      const content = await insertAutomationContent(db, {
        id: automationContentId(input.teamId, input.workflowId, input.stepKey),
        teamId: input.teamId,
        campaignId: campaign.id,
        type: c.type,
        title: contentTitle(c.type, campaign.productTitle ?? campaign.name),
        tone: c.tone,
        keywords: c.keywords,
        length: c.length,
      });
      return {
        contentId: content.id,
        summary: `${contentTypeLabels[c.type]} for ${campaign.name}`,
        campaignId: campaign.id,
      };
    },

    /** Waits (heartbeating, reading the row every 2 s) for the draft or the review of a content item. */
    async awaitAutomationContent(input: AwaitContentInput): Promise<AwaitedContent> {
      const row = await pollContent(input.teamId, input.contentId, (r) =>
        input.until === 'draft'
          ? r.status !== 'generating' && r.status !== 'failed'
          : reviewedStatuses.has(r.status),
      );
      return { content_id: row.id, status: row.status, title: row.title, url: row.publishedUrl };
    },
  };
}

export type AutomationActionActivities = ReturnType<typeof createAutomationActionActivities>;
