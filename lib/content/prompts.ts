/** Prompts for the content pipeline: one builder per step, shaped by content type, tone, keywords and length. */

export const contentTypes = ['review_article', 'email', 'social_post', 'landing_page'] as const;
export type ContentType = (typeof contentTypes)[number];

export const contentLengths = ['short', 'medium', 'long'] as const;
export type ContentLength = (typeof contentLengths)[number];

export type PipelineStep = 'brief' | 'outline' | 'draft' | 'polish';

export const contentTypeLabels: Record<ContentType, string> = {
  review_article: 'Review article',
  email: 'Email',
  social_post: 'Social post',
  landing_page: 'Landing page copy',
};

/** What each type is for, told to Claude so the same steps produce the right kind of text. */
const typeGuidance: Record<ContentType, string> = {
  review_article:
    'an honest product review article for a blog: who it is for, what it does well, its limits, and a clear verdict',
  email:
    'a marketing email to a subscriber list: a subject line, a short personal body and one call to action',
  social_post: 'a social media post: a hook in the first line, a few short lines and one call to action',
  landing_page:
    'landing-page copy: headline, subheadline, benefit sections, social proof cues and a call to action',
};

const wordTargets: Record<ContentType, Record<ContentLength, number>> = {
  review_article: { short: 500, medium: 1000, long: 1800 },
  email: { short: 120, medium: 250, long: 450 },
  social_post: { short: 40, medium: 80, long: 150 },
  landing_page: { short: 300, medium: 600, long: 1000 },
};

interface PromptProduct {
  title: string;
  description: string | null;
  categoryPath: string[];
}

export interface PromptInput {
  type: ContentType;
  tone: string;
  keywords: string[];
  length: ContentLength;
  campaign: { name: string; hoplink: string };
  product: PromptProduct | null;
  /** Results of earlier steps, as far as they exist. */
  brief?: string | null;
  outline?: string | null;
  draft?: string | null;
  /** The reviewer's notes when the draft is being revised. */
  notes?: string | null;
}

export interface StepPrompt {
  system: string;
  prompt: string;
  maxTokens: number;
}

const targetWords = (type: ContentType, length: ContentLength): number => wordTargets[type][length];

const SYSTEM =
  'You are a careful affiliate-marketing copywriter. Write truthful, specific copy: never invent prices, ' +
  'guarantees, studies or testimonials. Disclose that the link is an affiliate link where a reader would expect it.';

function productLines(input: PromptInput): string {
  const p = input.product;
  if (!p) return `Campaign: ${input.campaign.name} (no catalog product linked).`;
  const category = p.categoryPath.length ? ` Category: ${p.categoryPath.join(' > ')}.` : '';
  return `Product: ${p.title}.${category} ${p.description ?? ''}`.trim();
}

function inputsLines(input: PromptInput): string {
  const keywords = input.keywords.length ? input.keywords.join(', ') : 'none given';
  return [
    `Tone: ${input.tone}. Keywords to use naturally: ${keywords}.`,
    `Content: ${typeGuidance[input.type]}.`,
    `Target length: about ${targetWords(input.type, input.length)} words.`,
    productLines(input),
    `Affiliate link to use for calls to action: ${input.campaign.hoplink}`,
  ].join('\n');
}

// Token budgets: generous for the text steps (a word is a bit over one token), small for the planning steps.
const draftTokens = (input: PromptInput): number =>
  Math.ceil(targetWords(input.type, input.length) * 2) + 200;

/** The prompt for one step. Reviewer notes come first so they lead the request (and show in request logs). */
export function buildStepPrompt(step: PipelineStep, input: PromptInput): StepPrompt {
  const notes = input.notes?.trim()
    ? `Reviewer notes to address in this revision: ${input.notes.trim()}\n\n`
    : '';
  switch (step) {
    case 'brief':
      return {
        system: SYSTEM,
        maxTokens: 400,
        prompt:
          'Write a short creative brief (audience, angle, key messages, call to action) for this piece.\n\n' +
          inputsLines(input),
      };
    case 'outline':
      return {
        system: SYSTEM,
        maxTokens: 600,
        prompt:
          'Write an outline as a list of section headings with one line each on what the section says.\n\n' +
          `${inputsLines(input)}\n\nBrief:\n${input.brief ?? ''}`,
      };
    case 'draft':
      return {
        system: SYSTEM,
        maxTokens: draftTokens(input),
        prompt:
          `${notes}Write the full draft following the outline. Output only the text of the piece.\n\n` +
          `${inputsLines(input)}\n\nBrief:\n${input.brief ?? ''}\n\nOutline:\n${input.outline ?? ''}`,
      };
    case 'polish':
      return {
        system: SYSTEM,
        maxTokens: draftTokens(input),
        prompt:
          `${notes}Polish this draft: tighten sentences, fix grammar, keep the facts, keep the length. ` +
          `Output only the final text.\n\n${inputsLines(input)}\n\nDraft:\n${input.draft ?? ''}`,
      };
  }
}

/** A readable title from the type and what it promotes, e.g. "Review article: Keto Kickstart". */
export function contentTitle(type: ContentType, subject: string): string {
  return `${contentTypeLabels[type]}: ${subject}`;
}
