import type { ContentType } from './prompts';

/**
 * The guarantee behind "content that earns": every piece for a campaign carries the campaign's link in a call
 * to action and the affiliate disclosure. The model is asked for both; this checks its text and adds what it
 * left out, never a second copy of what is there. Pure, so the pipeline and the tests share one rule.
 *
 * Text is Markdown, except social posts, which are plain text meant to be pasted as they are.
 */

export interface EarningTextInput {
  type: ContentType;
  /** The campaign's link (campaignLink); null when the campaign has none, then no call to action is added. */
  link: string | null;
  /** What the call to action names: the product, or the campaign when no product is linked. */
  productName: string;
}

export interface EarningText {
  text: string;
  addedCallToAction: boolean;
  addedDisclosure: boolean;
}

const disclosureNoun: Record<ContentType, string> = {
  review_article: 'article',
  email: 'email',
  social_post: 'post',
  landing_page: 'page',
};

/** The disclosure sentence added when the text has none. */
export function disclosureText(type: ContentType): string {
  if (type === 'social_post') return '#ad (affiliate link)';
  return (
    `*Disclosure: this ${disclosureNoun[type]} contains affiliate links. If you buy through them, ` +
    'we may earn a commission at no extra cost to you.*'
  );
}

/** The call to action added when the link is missing. */
function callToActionText(type: ContentType, link: string, productName: string): string {
  const name = productName.trim() || 'it';
  if (type === 'social_post') return `Get ${name} here: ${link}`;
  return `**Ready to try ${name}?** [Get ${name} here](${link})`;
}

// An affiliate disclosure the model wrote itself: a "Disclosure" label, "affiliate link(s)", "earn a
// commission", or the #ad tag. Talk about affiliate marketing in general does not count.
const DISCLOSURE =
  /^\s*[*_]*disclosure\b|\baffiliate links?\b|\bearns? (?:a |an |small |)commission|\bcommissions? (?:on|from) (?:qualifying )?purchases|(?:^|\s)#ad\b/im;

export const hasDisclosure = (text: string): boolean => DISCLOSURE.test(text);

const hasLink = (text: string, link: string): boolean => text.includes(link);

/** A leading Markdown heading (the title line) stays first; the article's disclosure goes right after it. */
function insertAfterTitle(text: string, block: string): string {
  const match = /^(#{1,6} [^\n]*)\n+/.exec(text);
  if (!match) return `${block}\n\n${text}`;
  return `${match[1]}\n\n${block}\n\n${text.slice(match[0].length)}`;
}

/**
 * Adds the call to action with the link and the disclosure where missing. Articles open with the disclosure
 * (readers see it before any link); emails, landing pages and social posts end with the call to action and
 * then the disclosure.
 */
export function ensureEarningText(raw: string, input: EarningTextInput): EarningText {
  let text = raw.trim();
  const addCta = input.link !== null && !hasLink(text, input.link);
  const addDisclosure = !hasDisclosure(text);
  if (addCta && input.link !== null) {
    text = `${text}\n\n${callToActionText(input.type, input.link, input.productName)}`.trim();
  }
  if (addDisclosure) {
    const disclosure = disclosureText(input.type);
    text =
      input.type === 'review_article'
        ? insertAfterTitle(text, disclosure)
        : `${text}\n\n${disclosure}`.trim();
  }
  return {
    text: addCta || addDisclosure ? text : raw,
    addedCallToAction: addCta,
    addedDisclosure: addDisclosure,
  };
}
