import { log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { anyoneListensFor } from '../data/automation-triggers';
import { findContact, findContactStatuses, setContactStatus, type ContactStatus } from '../data/contacts';
import {
  insertQueuedEmailMessages,
  lockEmailMessages,
  markEmailRefused,
  markEmailSent,
  markEmailSkipped,
  type EmailMessageRow,
} from '../data/email-messages';
import { teamIntegrationStore } from '../data/integrations';
import { inTransaction } from '../data/transaction';
import { emailRefusedPayload } from '../lib/automations/platform-events';
import type { Config } from '../lib/config';
import { firePlatformEvent } from '../temporal/automation-events';
import { textToHtml } from '../lib/email/render';
import { createIntegrationResolver } from '../lib/integrations/resolve';
import { unsubscribeUrl } from '../lib/links';
import { withUnsubscribeFooter } from '../lib/email/unsubscribe-footer';
import { IntegrationError, toActivityFailure } from '../lib/integrations/adapters/errors';
import {
  createPostmarkSender,
  type OutgoingEmail,
  type PostmarkSender,
  EMAIL_ROW_METADATA_KEY,
} from '../lib/integrations/adapters/postmark';

type EmailKind = 'sequence' | 'broadcast' | 'bonus' | 'insight' | 'notification';

export interface TrackedEmail {
  teamId: string;
  /**
   * Business key of this one email, e.g. `seq:<sequence>:<contact>:<step>` or `bonus:<receipt>:<itemNo>`: the same
   * key is sent at most once, whatever retries, replays or duplicate runs ask.
   */
  idempotencyKey: string;
  kind: EmailKind;
  to: string;
  subject: string;
  textBody: string;
  /** Default: textBody turned into simple HTML. */
  htmlBody?: string;
  /**
   * The list member this goes to: no email when they unsubscribed or bounced ('skipped'); the body gets an
   * unsubscribe footer and the List-Unsubscribe / List-Unsubscribe-Post (RFC 8058 one-click) headers.
   */
  contactId?: string;
  stream?: 'outbound' | 'broadcast';
  tag?: string;
  metadata?: Record<string, string>;
}

export type TrackedEmailResult =
  | { idempotencyKey: string; status: 'sent'; messageId: string; duplicate: boolean }
  | { idempotencyKey: string; status: 'skipped'; reason: 'unsubscribed' | 'inactive' | 'deleted' }
  | { idempotencyKey: string; status: 'refused'; reason: string };

type Db = Knex | Knex.Transaction;
type ContactStatuses = Map<string, ContactStatus>;

export interface EmailActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'links'>;
  /** The worker's client: a refused recipient raises `email.refused` for automations. */
  temporal?: Client;
}

export function createEmailActivities({ db, config, temporal }: EmailActivityDeps) {
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config });

  /**
   * `email.refused` for each refused email, after the refusal is committed. Keyed on the email's idempotency
   * key, so a retried attempt (which finds the row refused and answers 'refused' again) raises nothing new. A
   * broadcast with many refusals raises nothing when no automation or run of the team listens. Never throws.
   */
  async function raiseRefusals(emails: TrackedEmail[], results: TrackedEmailResult[]): Promise<void> {
    const refused = emails.flatMap((email, i) => {
      const r = results[i];
      return r?.status === 'refused' ? [{ email, reason: r.reason }] : [];
    });
    if (refused.length === 0) return;
    const teamId = refused[0]!.email.teamId;
    const warn = (message: string, details: Record<string, unknown>) => {
      log.warn(message, details);
    };
    try {
      if (!(await anyoneListensFor(db, teamId, 'email.refused'))) return;
      for (const { email, reason } of refused) {
        const contact = email.contactId ? await findContact(db, teamId, email.contactId) : undefined;
        const key = email.idempotencyKey;
        const payload = emailRefusedPayload(
          { to: email.to, kind: email.kind, subject: email.subject, key },
          reason,
          contact,
        );
        await firePlatformEvent(temporal, { teamId, type: 'email.refused', id: key, payload }, warn);
      }
    } catch (err) {
      try {
        warn('email.refused not raised', { teamId, error: err instanceof Error ? err.message : String(err) });
      } catch {
        // Outside an activity there is no activity log; the send's answer stands either way.
      }
    }
  }

  async function senderFor(teamId: string): Promise<PostmarkSender> {
    try {
      return createPostmarkSender(await resolver.postmark(teamId));
    } catch (err) {
      throw toActivityFailure(err);
    }
  }

  /** The answer an already-settled row gives, or undefined while it still has to be (re)sent. */
  function settled(email: TrackedEmail, row: EmailMessageRow): TrackedEmailResult | undefined {
    const idempotencyKey = email.idempotencyKey;
    if (row.status === 'sent' || row.status === 'bounced') {
      return { idempotencyKey, status: 'sent', messageId: row.postmarkMessageId ?? '', duplicate: true };
    }
    if (row.status === 'refused' || row.status === 'failed') {
      return { idempotencyKey, status: 'refused', reason: row.error ?? 'refused by Postmark' };
    }
    if (row.status === 'skipped') {
      const reason = row.error === 'inactive' || row.error === 'deleted' ? row.error : 'unsubscribed';
      return { idempotencyKey, status: 'skipped', reason };
    }
    return undefined;
  }

  /**
   * Writes a 'queued' row per key that has none yet, committed before anything is sent: a worker that dies after
   * Postmark took the message leaves this row behind, and its id (in the message Metadata) is how the next
   * attempt finds that message. Returns the keys whose rows this call created (no earlier attempt to look for).
   */
  function recordRows(emails: TrackedEmail[]): Promise<Set<string>> {
    return insertQueuedEmailMessages(db, emails);
  }

  /** Locks the rows of these keys until the transaction ends, so two attempts never send the same key at once. */
  function lockRows(trx: Db, emails: TrackedEmail[]): Promise<Map<string, EmailMessageRow>> {
    return lockEmailMessages(
      trx,
      emails.map((e) => e.idempotencyKey),
    );
  }

  /** The current status of every contact the emails go to, in one query (read inside the send's transaction). */
  function contactStatuses(trx: Db, emails: TrackedEmail[]): Promise<ContactStatuses> {
    const ids = [...new Set(emails.flatMap((e) => (e.contactId ? [e.contactId] : [])))];
    return findContactStatuses(trx, emails[0]!.teamId, ids);
  }

  /** Skips unsubscribed/inactive/deleted contacts; adds the unsubscribe footer and headers for the rest. */
  function prepare(
    email: TrackedEmail,
    statuses: ContactStatuses,
  ): { skip?: 'unsubscribed' | 'inactive' | 'deleted'; message?: OutgoingEmail } {
    let textBody = email.textBody;
    let htmlBody = email.htmlBody ?? textToHtml(email.textBody);
    const headers: { name: string; value: string }[] = [];
    if (email.contactId) {
      const status = statuses.get(email.contactId);
      if (!status) return { skip: 'deleted' };
      if (status !== 'active') return { skip: status };
      const url = unsubscribeUrl(config.links, email.contactId);
      // No second link when the template already placed {{ unsubscribe_url }}.
      ({ text: textBody, html: htmlBody } = withUnsubscribeFooter({ text: textBody, html: htmlBody }, url));
      headers.push(
        { name: 'List-Unsubscribe', value: `<${url}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      );
    }
    const message: OutgoingEmail = {
      to: email.to,
      subject: email.subject,
      textBody,
      htmlBody,
      messageStream: email.stream ?? 'outbound',
      metadata: { ...email.metadata, kind: email.kind },
    };
    if (email.tag) message.tag = email.tag;
    if (headers.length > 0) message.headers = headers;
    return { message };
  }

  /** Postmark refused this recipient for good: the row says why, the contact leaves the list. */
  async function refuse(trx: Db, email: TrackedEmail, rowId: string, reason: string) {
    await markEmailRefused(trx, rowId, reason);
    if (email.contactId) {
      await setContactStatus(trx, {
        teamId: email.teamId,
        contactId: email.contactId,
        status: 'inactive',
        reason,
      });
    }
    return { idempotencyKey: email.idempotencyKey, status: 'refused' as const, reason };
  }

  /** Marks the row sent and gives the answer for it. */
  async function markSent(
    trx: Db,
    email: TrackedEmail,
    rowId: string,
    messageId: string,
    duplicate: boolean,
  ): Promise<TrackedEmailResult> {
    await markEmailSent(trx, rowId, messageId);
    return { idempotencyKey: email.idempotencyKey, status: 'sent', messageId, duplicate };
  }

  /**
   * Everything before the hand-over, for one locked row: an answer when nothing is to be sent (already settled,
   * contact gone or opted out, or an earlier attempt's message found at Postmark), else the message to send,
   * tagged with the row id. Only rows an earlier attempt left 'queued' are looked up; new ones cannot have gone out.
   */
  async function beforeSend(
    trx: Db,
    sender: PostmarkSender,
    email: TrackedEmail,
    row: EmailMessageRow,
    createdNow: Set<string>,
    statuses: ContactStatuses,
  ): Promise<{ done: TrackedEmailResult } | { message: OutgoingEmail }> {
    const done = settled(email, row);
    if (done) return { done };
    const { skip, message } = prepare(email, statuses);
    if (skip || !message) {
      const reason = skip ?? 'deleted';
      await markEmailSkipped(trx, row.id, reason);
      return { done: { idempotencyKey: email.idempotencyKey, status: 'skipped', reason } };
    }
    if (!createdNow.has(email.idempotencyKey)) {
      let earlier: string | undefined;
      try {
        earlier = await sender.findSentByMetadata(EMAIL_ROW_METADATA_KEY, row.id, email.to);
      } catch (err) {
        throw toActivityFailure(err);
      }
      if (earlier) return { done: await markSent(trx, email, row.id, earlier, true) };
    }
    message.metadata = { ...message.metadata, [EMAIL_ROW_METADATA_KEY]: row.id };
    return { message };
  }

  const isRecipientRefusal = (err: unknown): err is IntegrationError =>
    err instanceof IntegrationError && err.kind === 'invalid' && !err.retryable;

  return {
    /**
     * Sends one email at most once per idempotency key. The row is written (and locked) before Postmark is
     * called; a later attempt that finds it still 'queued' (the worker died mid-send) asks Postmark's message
     * search whether that attempt got through before sending. Transient Postmark trouble throws (Temporal
     * retries); a permanent refusal of the recipient returns 'refused' and marks the contact inactive.
     */
    async sendTrackedEmail(email: TrackedEmail): Promise<TrackedEmailResult> {
      const sender = await senderFor(email.teamId);
      const createdNow = await recordRows([email]);
      const result = await inTransaction(db, async (trx): Promise<TrackedEmailResult> => {
        const row = (await lockRows(trx, [email])).get(email.idempotencyKey);
        if (!row) throw new Error(`email row for ${email.idempotencyKey} was not created`);
        const statuses = await contactStatuses(trx, [email]);
        const next = await beforeSend(trx, sender, email, row, createdNow, statuses);
        if ('done' in next) return next.done;
        try {
          const sent = await sender.sendEmail(next.message);
          return await markSent(trx, email, row.id, sent.messageId, false);
        } catch (err) {
          if (isRecipientRefusal(err)) return refuse(trx, email, row.id, err.plainMessage);
          throw toActivityFailure(err);
        }
      });
      await raiseRefusals([email], [result]);
      return result;
    },

    /**
     * Up to 500 emails of one team in one Postmark batch request, each at most once per key (as
     * sendTrackedEmail). Refused recipients come back 'refused'; if Postmark rate-limits some entries, the
     * others are recorded and the activity throws so the retry sends only what is still missing.
     */
    async sendTrackedBatch(emails: TrackedEmail[]): Promise<TrackedEmailResult[]> {
      if (emails.length === 0) return [];
      const teamId = emails[0]!.teamId;
      if (emails.some((e) => e.teamId !== teamId)) throw new Error('a batch must belong to one team');
      if (new Set(emails.map((e) => e.idempotencyKey)).size !== emails.length) {
        throw new Error('a batch must not repeat an idempotency key');
      }
      const sender = await senderFor(teamId);
      let retryLater: IntegrationError | undefined;
      const createdNow = await recordRows(emails);
      const results = await inTransaction(db, async (trx) => {
        const rows = await lockRows(trx, emails);
        const statuses = await contactStatuses(trx, emails);
        const out = new Map<string, TrackedEmailResult>();
        const toSend: { email: TrackedEmail; row: EmailMessageRow; message: OutgoingEmail }[] = [];
        for (const email of emails) {
          const row = rows.get(email.idempotencyKey);
          if (!row) throw new Error(`email row for ${email.idempotencyKey} was not created`);
          const next = await beforeSend(trx, sender, email, row, createdNow, statuses);
          if ('done' in next) {
            out.set(email.idempotencyKey, next.done);
            continue;
          }
          toSend.push({ email, row, message: next.message });
        }

        if (toSend.length > 0) {
          let answers;
          try {
            answers = await sender.sendBatch(toSend.map((s) => s.message));
          } catch (err) {
            throw toActivityFailure(err);
          }
          for (const [i, answer] of answers.entries()) {
            const { email, row } = toSend[i]!;
            if (answer.ok) {
              out.set(email.idempotencyKey, await markSent(trx, email, row.id, answer.messageId, false));
            } else if (answer.retryable) {
              retryLater ??= new IntegrationError({
                provider: 'postmark',
                kind: answer.kind,
                plainMessage: answer.plainMessage,
              });
            } else {
              out.set(email.idempotencyKey, await refuse(trx, email, row.id, answer.plainMessage));
            }
          }
        }
        return out;
      });
      const answers = emails.map((e) => results.get(e.idempotencyKey));
      await raiseRefusals(
        emails.filter((_, i) => answers[i] !== undefined),
        answers.filter((a): a is TrackedEmailResult => a !== undefined),
      );
      if (retryLater) throw toActivityFailure(retryLater);
      return emails.map((e) => results.get(e.idempotencyKey)!);
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
