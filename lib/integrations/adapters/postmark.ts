import { Errors, ServerClient, type Message } from 'postmark';
import { IntegrationError, fromHttpStatus, fromNetworkError, type IntegrationErrorKind } from './errors';

/** The Metadata key that ties a Postmark message to its email_messages row (found again after a crash). */
export const EMAIL_ROW_METADATA_KEY = 'hopflow_id';

/** Plain settings (sandbox, live or a team's own server token): the resolver's PostmarkSettings. */
export interface PostmarkSenderSettings {
  serverToken: string;
  /** host[:port], e.g. api.postmarkapp.com or 127.0.0.1:4703 */
  requestHost: string;
  useHttps: boolean;
  fromEmail: string;
  /** Default stream for messages that do not name one ("outbound" = transactional). */
  messageStream?: string;
  /** Per-request timeout in seconds; default 30. */
  timeoutSeconds?: number;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  htmlBody?: string;
  textBody?: string;
  /** Defaults to the settings' fromEmail. */
  from?: string;
  replyTo?: string;
  cc?: string;
  bcc?: string;
  tag?: string;
  metadata?: Record<string, string>;
  messageStream?: string;
  headers?: { name: string; value: string }[];
}

export interface SentEmail {
  messageId: string;
  submittedAt: string;
  to: string;
}

/** One entry of a batch answer: plain data (activities return it through Temporal). */
export type BatchItemResult =
  | ({ ok: true } & SentEmail)
  | {
      ok: false;
      to: string;
      errorCode: number;
      message: string;
      kind: IntegrationErrorKind;
      retryable: boolean;
      plainMessage: string;
    };

/** Postmark ErrorCodes that mean this message will never be accepted as it is. */
const INACTIVE_RECIPIENT = 406;
const INVALID_EMAIL_REQUEST = 300;
const BAD_TOKEN = 10;

function inactivePlainMessage(message: string): string {
  const found = /Found inactive addresses: (.+?)\.? Inactive/.exec(message)?.[1];
  return `Postmark will not deliver to ${found ?? 'this recipient'}: the address is marked inactive (hard bounce, spam complaint or manual suppression).`;
}

/** Any failure of a Postmark call as an IntegrationError: 10/300/406 permanent, 429/5xx/network transient. */
function toPostmarkError(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof Errors.PostmarkError && err.statusCode > 0) {
    return fromHttpStatus(
      'postmark',
      err.statusCode,
      { ErrorCode: err.code, Message: err.message },
      undefined,
      ({ providerCode }) => {
        if (providerCode === BAD_TOKEN) return { kind: 'auth', retryable: false };
        if (providerCode === INACTIVE_RECIPIENT) {
          return { kind: 'invalid', retryable: false, plainMessage: inactivePlainMessage(err.message) };
        }
        if (providerCode === INVALID_EMAIL_REQUEST) return { kind: 'invalid', retryable: false };
        return undefined;
      },
    );
  }
  return fromNetworkError('postmark', err);
}

function batchFailure(to: string, errorCode: number, message: string): BatchItemResult {
  const kind: IntegrationErrorKind =
    errorCode === BAD_TOKEN ? 'auth' : errorCode === 429 ? 'rate_limited' : 'invalid';
  const plainMessage =
    errorCode === INACTIVE_RECIPIENT
      ? inactivePlainMessage(message)
      : `Postmark refused the message to ${to}: ${message}`;
  return { ok: false, to, errorCode, message, kind, retryable: kind === 'rate_limited', plainMessage };
}

/** Email through the official `postmark` SDK, pointed at `requestHost` (the sandbox or Postmark). */
export function createPostmarkSender(settings: PostmarkSenderSettings) {
  const client = new ServerClient(settings.serverToken, {
    requestHost: settings.requestHost,
    useHttps: settings.useHttps,
    timeout: settings.timeoutSeconds ?? 30,
  });

  const toMessage = (email: OutgoingEmail): Message => {
    const message: Message = {
      From: email.from ?? settings.fromEmail,
      To: email.to,
      Subject: email.subject,
      MessageStream: email.messageStream ?? settings.messageStream ?? 'outbound',
    };
    if (email.htmlBody !== undefined) message.HtmlBody = email.htmlBody;
    if (email.textBody !== undefined) message.TextBody = email.textBody;
    if (email.replyTo !== undefined) message.ReplyTo = email.replyTo;
    if (email.cc !== undefined) message.Cc = email.cc;
    if (email.bcc !== undefined) message.Bcc = email.bcc;
    if (email.tag !== undefined) message.Tag = email.tag;
    if (email.metadata !== undefined) message.Metadata = email.metadata;
    if (email.headers !== undefined)
      message.Headers = email.headers.map((h) => ({ Name: h.name, Value: h.value }));
    return message;
  };

  return {
    /** Sends one message; throws an IntegrationError (permanent for 10/300/406, transient for 429/5xx). */
    async sendEmail(email: OutgoingEmail): Promise<SentEmail> {
      try {
        const answer = await client.sendEmail(toMessage(email));
        return { messageId: answer.MessageID, submittedAt: answer.SubmittedAt, to: answer.To ?? email.to };
      } catch (err) {
        throw toPostmarkError(err);
      }
    },

    /**
     * Sends up to 500 messages in one request. A refused message (inactive recipient, invalid address) is
     * reported in its own entry; only a failure of the whole request (auth, 429, 5xx) throws.
     */
    async sendBatch(emails: OutgoingEmail[]): Promise<BatchItemResult[]> {
      if (emails.length === 0) return [];
      if (emails.length > 500) {
        throw new IntegrationError({
          provider: 'postmark',
          kind: 'invalid',
          plainMessage: `Postmark takes at most 500 messages per batch (got ${emails.length}).`,
        });
      }
      let answers;
      try {
        answers = await client.sendEmailBatch(emails.map(toMessage));
      } catch (err) {
        throw toPostmarkError(err);
      }
      return answers.map((answer, i): BatchItemResult => {
        const to = answer.To ?? emails[i]?.to ?? '';
        return answer.ErrorCode === 0
          ? { ok: true, messageId: answer.MessageID, submittedAt: answer.SubmittedAt, to }
          : batchFailure(to, answer.ErrorCode, answer.Message);
      });
    },

    /**
     * Postmark's outbound message search by one Metadata value (and recipient): the MessageID of a message sent
     * earlier, or undefined. Lets a retry find out whether an attempt that died mid-send got through.
     */
    async findSentByMetadata(key: string, value: string, recipient: string): Promise<string | undefined> {
      try {
        const found = await client.getOutboundMessages({
          count: 1,
          offset: 0,
          recipient,
          [`metadata_${key}`]: value,
        });
        return found.Messages[0]?.MessageID;
      } catch (err) {
        throw toPostmarkError(err);
      }
    },

    /** One cheap authenticated call (the server's own settings). */
    async testConnection(): Promise<{ ok: true; detail: string }> {
      try {
        const server = await client.getServer();
        return { ok: true, detail: `Postmark accepted the server token (server "${server.Name}").` };
      } catch (err) {
        throw toPostmarkError(err);
      }
    },
  };
}

export type PostmarkSender = ReturnType<typeof createPostmarkSender>;
