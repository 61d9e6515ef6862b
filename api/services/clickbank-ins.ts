import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  decryptInsPlaintext,
  InsDecodeError,
  insDedupeKey,
  notificationTid,
  parseInsNotification,
  type InsNotification,
} from '../../lib/clickbank/ins';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { BAD_TEXT_MESSAGE, escapeUnstorableValue, unstorableTextPaths } from '../../lib/text';
import { createIntegrationResolver } from '../../lib/integrations/resolve';
import type { Logger } from '../../lib/logger';
import { startClickbankNotification } from '../../temporal/starts';
import type { ClickbankNotificationInput } from '../../workflows/contracts/clickbank-notification';
import { campaignForTid } from '../../data/campaigns';
import { teamIntegrationStore } from '../../data/integrations';
import {
  findWebhookEvent,
  listUnstartedWebhookEvents,
  markWebhookEventStarted,
  recordWebhookEvent,
  type WebhookEventRow,
} from '../../data/webhook-events';

/** What the webhook answers (and what it then starts the workflow from). */
export interface InsReceipt {
  eventId: string;
  teamId: string;
  dedupeKey: string;
  transactionType: string;
  receipt: string;
  /** True when this delivery repeated one already stored. */
  duplicate: boolean;
  /** The stored event still needs its workflow started (false once started or finished). */
  needsStart: boolean;
}

const insInvalid = (message: string, reason: string) =>
  new AppError(400, 'ins_invalid', message, [{ path: 'notification', message: reason }]);

export interface ClickbankInsDeps {
  db: Knex;
  config: Pick<Config, 'integrations'>;
  logger: Logger;
  temporal: { client: Client } | null;
}

export function createClickbankInsService(deps: ClickbankInsDeps) {
  const { db, logger } = deps;
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config: deps.config });

  async function startWorkflow(event: WebhookEventRow, dedupeKey: string): Promise<void> {
    const temporal = deps.temporal;
    if (!temporal) throw new Error('Temporal is not configured');
    if (!event.teamId) throw new Error(`webhook event ${event.id} has no team`);
    const notification = parseInsNotification(event.payload);
    const tid = notificationTid(notification);
    const campaignId = tid ? await campaignForTid(db, event.teamId, tid) : undefined;
    const input: ClickbankNotificationInput = { teamId: event.teamId, webhookEventId: event.id, dedupeKey };
    try {
      await startClickbankNotification(temporal.client, {
        input,
        campaignId,
        summary: `ClickBank ${notification.transactionType} ${notification.receipt} for team ${event.teamId}`,
      });
    } catch (err) {
      // Already ran (REJECT_DUPLICATE on a closed run): the notification was handled, which is success.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await markWebhookEventStarted(db, event.id);
  }

  const dedupeKeyOf = (event: WebhookEventRow): string => {
    // external_id is `${teamId}:${dedupeKey}`.
    const prefix = `${event.teamId}:`;
    return event.externalId.startsWith(prefix) ? event.externalId.slice(prefix.length) : event.externalId;
  };

  return {
    /**
     * Decrypts a delivery with the team's INS secret and stores it once. Throws 404 unknown_ins_url for a token
     * no team has, 400 ins_invalid (nothing stored) when the body cannot be decrypted or read, 400 ins_invalid
     * (stored as a failed event, text escaped) when it holds a NUL or an unpaired surrogate.
     */
    async receive(insToken: string, rawBody: Buffer): Promise<InsReceipt> {
      const found = await resolver.clickbankByInsToken(insToken);
      if (!found) {
        throw new AppError(404, 'unknown_ins_url', 'No team uses this ClickBank INS URL');
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw insInvalid(
          'The request body is not JSON: expected {"notification": "...", "iv": "..."}',
          'bad_json',
        );
      }
      let decoded: unknown;
      let notification: InsNotification;
      try {
        const plaintext = decryptInsPlaintext(body, found.settings.insSecretKey);
        try {
          decoded = JSON.parse(plaintext);
        } catch {
          throw new InsDecodeError('bad_json', 'The decrypted notification is not valid JSON.');
        }
        notification = parseInsNotification(decoded);
      } catch (err) {
        if (err instanceof InsDecodeError) throw insInvalid(err.message, err.code);
        throw err;
      }

      // Text PostgreSQL cannot store (NUL, a broken emoji): refused with 400, and the refusal kept (failed, the
      // fields named, the text escaped) so an operator sees it. Its own dedupe key, so a corrected redelivery of
      // the same receipt is still taken.
      const badText = unstorableTextPaths(decoded);
      if (badText.length > 0) {
        const escaped = escapeUnstorableValue(decoded);
        const fields = badText.map((path) => `notification.${path}`);
        await recordWebhookEvent(db, {
          source: 'clickbank',
          externalId: `${found.teamId}:invalid_text:${insDedupeKey(parseInsNotification(escaped), rawBody)}`,
          teamId: found.teamId,
          payload: escaped,
          refusal: { error: `invalid_text: ${BAD_TEXT_MESSAGE} (${fields.join(', ')})` },
        });
        throw new AppError(
          400,
          'ins_invalid',
          'The notification contains text that cannot be stored; it was recorded as failed',
          fields.map((path) => ({ path, message: BAD_TEXT_MESSAGE })),
        );
      }

      const dedupeKey = insDedupeKey(notification, rawBody);
      const { event, inserted } = await recordWebhookEvent(db, {
        source: 'clickbank',
        externalId: `${found.teamId}:${dedupeKey}`,
        teamId: found.teamId,
        // The notification as ClickBank sent it (decrypted), unknown fields included.
        payload: decoded,
      });
      return {
        eventId: event.id,
        teamId: found.teamId,
        dedupeKey,
        transactionType: notification.transactionType,
        receipt: notification.receipt,
        duplicate: !inserted,
        needsStart: event.status === 'received',
      };
    },

    /**
     * Starts (or joins) the notification's workflow. Failures are logged, not thrown: the event stays
     * 'received', and the next redelivery or startPendingNotifications() starts it.
     */
    async startNotification(receipt: InsReceipt): Promise<boolean> {
      if (!receipt.needsStart) return true;
      try {
        const event = await findWebhookEvent(db, receipt.eventId);
        if (!event) return false;
        await startWorkflow(event, receipt.dedupeKey);
        return true;
      } catch (err) {
        logger.warn(
          { err, eventId: receipt.eventId, teamId: receipt.teamId },
          'ClickBank notification stored but its workflow could not be started yet; a redelivery or the startup reconcile will start it',
        );
        return false;
      }
    },

    /**
     * Reconcile: starts the workflow of every ClickBank event stored but never started (e.g. Temporal was down
     * when it arrived). Events younger than `minAgeMs` are left to the request that stored them.
     */
    async startPendingNotifications(opts: { minAgeMs?: number; limit?: number } = {}): Promise<{
      started: number;
      failed: number;
    }> {
      const events = await listUnstartedWebhookEvents(db, 'clickbank', {
        receivedBefore: new Date(Date.now() - (opts.minAgeMs ?? 10_000)),
        limit: opts.limit ?? 500,
      });
      let started = 0;
      let failed = 0;
      for (const event of events) {
        try {
          await startWorkflow(event, dedupeKeyOf(event));
          started++;
        } catch (err) {
          failed++;
          logger.warn({ err, eventId: event.id }, 'could not start a pending ClickBank notification');
        }
      }
      if (events.length > 0) logger.info({ started, failed }, 'pending ClickBank notifications reconciled');
      return { started, failed };
    },
  };
}
