import { randomUUID } from 'node:crypto';
import { failureMarker, isBuiltInSuppressed, parseAddressList } from './addresses';

/** A message the sandbox accepted, as listed by GET /sandbox/messages. */
export interface RecordedMessage {
  MessageID: string;
  From: string;
  To: string;
  Cc?: string;
  Bcc?: string;
  ReplyTo?: string;
  Subject: string;
  HtmlBody?: string;
  TextBody?: string;
  Tag?: string;
  Metadata: Record<string, string>;
  MessageStream: string;
  Headers: { Name: string; Value: string }[];
  TemplateId?: number;
  TemplateAlias?: string;
  TemplateModel?: unknown;
  /** Every recipient address (To, Cc, Bcc), lower-cased. */
  Recipients: string[];
  ReceivedAt: string;
}

/** Postmark's per-message answer: success (ErrorCode 0) or the error for that message. */
export interface SendResult {
  ErrorCode: number;
  Message: string;
  MessageID?: string;
  SubmittedAt?: string;
  To?: string;
}

export type Outcome =
  | { kind: 'sent'; result: SendResult }
  /** A problem with this message (422 alone, a per-message entry in a batch). */
  | { kind: 'rejected'; result: SendResult }
  /** A failure of the whole request (429/500), as the real service answers when it cannot take it. */
  | { kind: 'failed'; status: 429 | 500; result: SendResult };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const rejected = (ErrorCode: number, Message: string, To?: string): Outcome => ({
  kind: 'rejected',
  result: { ErrorCode, Message, ...(To ? { To } : {}) },
});

/** The sandbox's memory: accepted messages (newest first), suppressed addresses, on-demand failure counters. */
export class Mailbox {
  readonly messages: RecordedMessage[] = [];
  readonly suppressions = new Set<string>();
  private readonly failures = new Map<string, number>();

  constructor(private readonly maxMessages = 5000) {}

  isSuppressed(email: string): boolean {
    return this.suppressions.has(email) || isBuiltInSuppressed(email);
  }

  /** Validates, applies suppressions and failures on demand, and records the message when accepted. */
  submit(body: unknown, template = false): Outcome {
    if (!isRecord(body)) return rejected(402, 'Received invalid JSON input.');
    const from = optionalString(body.From);
    const to = optionalString(body.To);
    if (!from || parseAddressList(from).invalid !== undefined || parseAddressList(from).emails.length !== 1) {
      return rejected(300, `Invalid 'From' address: '${from ?? ''}'.`, to);
    }
    if (!to) return rejected(300, 'Zero recipients specified', to);

    const recipients: string[] = [];
    for (const field of ['To', 'Cc', 'Bcc'] as const) {
      const value = optionalString(body[field]);
      if (!value) continue;
      const parsed = parseAddressList(value);
      if (parsed.invalid !== undefined) {
        return rejected(300, `Error parsing '${field}': Illegal email address '${parsed.invalid}'.`, to);
      }
      recipients.push(...parsed.emails);
    }
    if (recipients.length === 0) return rejected(300, 'Zero recipients specified', to);
    if (recipients.length > 50) {
      return rejected(300, 'Too many recipients. You can send to at most 50 recipients per message.', to);
    }

    let subject = optionalString(body.Subject) ?? '';
    let htmlBody = optionalString(body.HtmlBody);
    let textBody = optionalString(body.TextBody);
    const templateId = typeof body.TemplateId === 'number' ? body.TemplateId : undefined;
    const templateAlias = optionalString(body.TemplateAlias);
    if (template) {
      if (templateId === undefined && !templateAlias) {
        return rejected(1101, 'The Template ID or alias is required.', to);
      }
      // The sandbox has no stored templates: it shows the model it was given.
      const model = body.TemplateModel ?? {};
      const modelSubject = isRecord(model) ? optionalString(model.subject) : undefined;
      subject = modelSubject ?? `Template ${templateAlias ?? String(templateId)}`;
      textBody = JSON.stringify(model, null, 2);
      htmlBody = undefined;
    } else if (!htmlBody && !textBody) {
      return rejected(300, 'Provide either email TextBody or HtmlBody or both.', to);
    }

    const inactive = recipients.filter((email) => this.isSuppressed(email));
    if (inactive.length > 0) {
      return rejected(
        406,
        `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ` +
          `${inactive.join(', ')}. Inactive recipients are ones that have generated a hard bounce, a spam ` +
          `complaint, or a manual suppression.`,
        to,
      );
    }

    for (const email of recipients) {
      const marker = failureMarker(email);
      if (!marker) continue;
      const seen = this.failures.get(email) ?? 0;
      if (seen >= marker.times) continue;
      this.failures.set(email, seen + 1);
      return marker.status === 429
        ? {
            kind: 'failed',
            status: 429,
            result: { ErrorCode: 429, Message: 'Rate limit exceeded. Please retry later.' },
          }
        : { kind: 'failed', status: 500, result: { ErrorCode: 500, Message: 'Internal server error.' } };
    }

    const now = new Date().toISOString();
    const message: RecordedMessage = {
      MessageID: randomUUID(),
      From: from,
      To: to,
      Subject: subject,
      Metadata: stringRecord(body.Metadata),
      MessageStream: optionalString(body.MessageStream) ?? 'outbound',
      Headers: headerList(body.Headers),
      Recipients: recipients,
      ReceivedAt: now,
    };
    const optional = {
      Cc: optionalString(body.Cc),
      Bcc: optionalString(body.Bcc),
      ReplyTo: optionalString(body.ReplyTo),
      HtmlBody: htmlBody,
      TextBody: textBody,
      Tag: optionalString(body.Tag),
      TemplateId: templateId,
      TemplateAlias: templateAlias,
      TemplateModel: template ? body.TemplateModel : undefined,
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined) Object.assign(message, { [key]: value });
    }
    this.messages.unshift(message);
    this.messages.length = Math.min(this.messages.length, this.maxMessages);
    return {
      kind: 'sent',
      result: { ErrorCode: 0, Message: 'OK', MessageID: message.MessageID, SubmittedAt: now, To: to },
    };
  }

  list(filter: { to?: string; tag?: string; stream?: string } = {}): RecordedMessage[] {
    const to = filter.to?.toLowerCase();
    return this.messages.filter(
      (m) =>
        (!to || m.Recipients.some((r) => r.includes(to)) || m.To.toLowerCase().includes(to)) &&
        (!filter.tag || m.Tag === filter.tag) &&
        (!filter.stream || m.MessageStream === filter.stream),
    );
  }

  /** Postmark's outbound search: every given filter must match (recipient exact, metadata key=value). */
  search(filter: {
    recipient?: string;
    tag?: string;
    stream?: string;
    subject?: string;
    metadata: readonly (readonly [string, string])[];
  }): RecordedMessage[] {
    const recipient = filter.recipient?.toLowerCase();
    return this.messages.filter(
      (m) =>
        (!recipient || m.Recipients.includes(recipient)) &&
        (!filter.tag || m.Tag === filter.tag) &&
        (!filter.stream || m.MessageStream === filter.stream) &&
        (!filter.subject || m.Subject.includes(filter.subject)) &&
        filter.metadata.every(([key, value]) => m.Metadata[key] === value),
    );
  }

  clear(): void {
    this.messages.length = 0;
    this.failures.clear();
  }
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scalar(v)]));
}

function headerList(value: unknown): { Name: string; Value: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .map((h) => ({ Name: scalar(h.Name), Value: scalar(h.Value) }))
    .filter((h) => h.Name !== '');
}

const scalar = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
