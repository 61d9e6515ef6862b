/**
 * The payloads of platform events (lib/automations/triggers.ts `platformEvents`): what an `event` trigger's run
 * reads as `trigger` and a wait_for_event step receives. Plain JSON, snake_case, every field present (null when
 * unknown), so a builder's `{{ trigger.contact.email }}` never depends on where the event came from. Documented
 * in docs/automations.md ("Events and ClickBank triggers").
 */

/** A contact as events carry it. */
export interface EventContact {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  tags: string[];
  status: string;
  source: string;
}

/** The fields of a contact row the payload reads (data/contacts.ts ContactRow has them all). */
export interface ContactFacts {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: readonly string[];
  status: string;
  source: string;
}

const eventContact = (c: ContactFacts): EventContact => ({
  id: c.id,
  email: c.email,
  first_name: c.firstName,
  last_name: c.lastName,
  tags: [...c.tags],
  status: c.status,
  source: c.source,
});

/** `contact.created`: a contact added by hand, through the API or by an import. */
export const contactCreatedPayload = (c: ContactFacts, via: 'api' | 'import' | 'sale' | 'automation') => ({
  contact: eventContact(c),
  via,
});

/** `contact.tagged`: tags a contact did not have before (`tags_added`); `contact.tags` is the full list after. */
export const contactTaggedPayload = (
  c: ContactFacts,
  tagsAdded: readonly string[],
  via: 'api' | 'import' | 'sale' | 'automation',
) => ({ contact: eventContact(c), tags_added: [...tagsAdded], via });

/** The tags of `after` that `before` did not have (tags are compared as stored: trimmed, lower case). */
export const addedTags = (before: readonly string[], after: readonly string[]): string[] =>
  after.filter((t) => !before.includes(t));

/** The fields of a content row the payload reads (data/content.ts ContentView). */
export interface ContentFacts {
  id: string;
  campaignId: string | null;
  type: string;
  title: string;
  status: string;
  keywords: readonly string[];
  body: string | null;
  publishAt: Date | null;
  publishedUrl: string | null;
  wordpressPostId: number | null;
}

/** A piece of content as events carry it (the body is the approved text, markdown). */
const eventContent = (c: ContentFacts) => ({
  id: c.id,
  campaign_id: c.campaignId,
  type: c.type,
  title: c.title,
  status: c.status,
  keywords: [...c.keywords],
  body: c.body,
  publish_at: c.publishAt ? c.publishAt.toISOString() : null,
  url: c.publishedUrl,
  wordpress_post_id: c.wordpressPostId,
});

/** `content.approved`: a reviewer approved the text; `publish` says what happens next. */
export const contentApprovedPayload = (
  c: ContentFacts,
  decision: { publish: boolean; publishAt: string | null; notes: string | null },
) => ({
  content: eventContent(c),
  publish: decision.publish,
  publish_at: decision.publishAt,
  notes: decision.notes,
});

/** `content.published`: the post is live on the team's WordPress site. */
export const contentPublishedPayload = (c: ContentFacts, post: { postId: number; url: string | null }) => ({
  content: eventContent(c),
  post_id: post.postId,
  url: post.url,
});

/** `email.refused`: Postmark refused the recipient for good (hard bounce, spam complaint, inactive address). */
export const emailRefusedPayload = (
  email: { to: string; kind: string; subject: string; key: string },
  reason: string,
  contact: ContactFacts | undefined,
) => ({
  email: { to: email.to, kind: email.kind, subject: email.subject, key: email.key },
  reason,
  contact: contact ? eventContact(contact) : null,
});

/** `bonus.delivered`: the buyer was emailed the bonuses of one line of a ClickBank sale. */
export const bonusDeliveredPayload = (d: {
  receipt: string;
  itemNo: string;
  campaignId: string | null;
  buyerEmail: string;
  contactId: string | null;
  messageId: string;
  bonuses: { id: string; name: string; expiresAt: Date }[];
}) => ({
  receipt: d.receipt,
  item_no: d.itemNo,
  campaign_id: d.campaignId,
  buyer: { email: d.buyerEmail },
  contact_id: d.contactId,
  message_id: d.messageId,
  bonuses: d.bonuses.map((b) => ({
    delivery_id: b.id,
    name: b.name,
    expires_at: b.expiresAt.toISOString(),
  })),
});
