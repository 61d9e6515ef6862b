import { createHash } from 'node:crypto';

/**
 * The sandbox's copywriter for the content pipeline's draft and polish steps: text about the product and the
 * campaign it was given (name, benefits taken from the product description, keywords, the reviewer's notes),
 * in Markdown, ending with the link in a call to action and the affiliate disclosure, as a good model would.
 *
 * `[sandbox:no-cta]` in the prompt (e.g. as a keyword) leaves out the call to action and the disclosure, so
 * tests can prove the pipeline adds them. Polishing returns the draft it was given, tidied.
 */

const LINK_LINE = /^Affiliate link to use for calls to action: (\S*)$/m;
const NO_CTA = '[sandbox:no-cta]';

export interface PipelinePrompt {
  kind: 'draft' | 'polish';
  type: 'review_article' | 'email' | 'social_post' | 'landing_page';
  product: string;
  benefits: string[];
  keywords: string[];
  link: string;
  notes: string | null;
  draft: string | null;
  withCallToAction: boolean;
}

const typeOf = (content: string): PipelinePrompt['type'] =>
  /review article/.test(content)
    ? 'review_article'
    : /email/.test(content)
      ? 'email'
      : /social media post/.test(content)
        ? 'social_post'
        : 'landing_page';

/** Benefits from the description: its sentences and "with ... and ..." parts, e.g. "Recipes". */
export function benefitsOf(description: string): string[] {
  const parts = description
    .split(/[.;!?]\s*|,\s*|\s+with\s+|\s+and\s+|\s+plus\s+/i)
    .map((p) => p.trim())
    .filter((p) => p.length >= 3 && !p.includes('[sandbox:'));
  return [...new Set(parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)))].slice(0, 5);
}

/** Reads what the pipeline's prompt says; undefined for any other prompt (answered by the generic reply). */
export function parsePipelinePrompt(prompt: string): PipelinePrompt | undefined {
  const link = LINK_LINE.exec(prompt)?.[1];
  const kind = /^Polish this draft/m.test(prompt)
    ? 'polish'
    : /^Write the full draft/m.test(prompt)
      ? 'draft'
      : null;
  if (link === undefined || !kind) return undefined;
  const productLine = /^Product: (.+)$/m.exec(prompt)?.[1];
  const campaignLine = /^Campaign: (.+?) \(no catalog product linked\)\.$/m.exec(prompt)?.[1];
  let product = campaignLine ?? 'this product';
  let benefits: string[] = [];
  if (productLine) {
    const [, title, rest] = /^(.+?)\.(?:\s+Category: [^.]*\.)?\s*(.*)$/.exec(productLine) ?? [];
    product = title ?? productLine;
    benefits = benefitsOf(rest ?? '');
  }
  const keywordLine = /Keywords to use naturally: (.*)\.$/m.exec(prompt)?.[1] ?? '';
  const keywords =
    keywordLine === 'none given' ? [] : keywordLine.split(', ').filter((k) => !k.startsWith('['));
  const notes = /^Reviewer notes to address in this revision: (.+)$/m.exec(prompt)?.[1] ?? null;
  const draftAt = prompt.indexOf('\nDraft:\n');
  return {
    kind,
    type: typeOf(/^Content: (.*)$/m.exec(prompt)?.[1] ?? ''),
    product,
    benefits: benefits.length ? benefits : ['A clear plan you can follow', 'Support when you need it'],
    keywords,
    link,
    notes,
    draft: draftAt >= 0 ? prompt.slice(draftAt + '\nDraft:\n'.length) : null,
    withCallToAction: !prompt.includes(NO_CTA),
  };
}

const ANGLES = ['an honest look', 'what you really get', 'is it worth it', 'a practical review'];

export function writePipelineText(p: PipelinePrompt, seedSource: string): string {
  if (p.kind === 'polish' && p.draft?.trim()) return p.draft.trim().replace(/[ \t]+\n/g, '\n');
  const seed = createHash('sha256').update(seedSource).digest().readUInt32BE(0);
  const angle = ANGLES[seed % ANGLES.length]!;
  const topic = p.keywords.length ? p.keywords.join(', ') : 'better results';
  const notes = p.notes ? `As you asked: ${p.notes.replace(/\.$/, '')}.` : '';
  const cta = p.withCallToAction && p.link ? `[Get ${p.product} here](${p.link})` : '';
  const disclosure = p.withCallToAction
    ? 'Disclosure: this is an affiliate link. If you buy through it, we may earn a commission at no extra cost to you.'
    : '';
  const list = p.benefits.map((b) => `- ${b}`).join('\n');
  const blocks: string[] = (() => {
    switch (p.type) {
      case 'social_post':
        return [
          `Want real progress with ${topic}? ${p.product} makes it simple.`,
          p.benefits
            .slice(0, 3)
            .map((b) => `✓ ${b}`)
            .join('\n'),
          notes,
          p.withCallToAction && p.link ? `Try ${p.product}: ${p.link}` : '',
          p.withCallToAction ? '#ad' : '',
        ];
      case 'email':
        return [
          `Subject: ${p.product}: ${angle}`,
          `Hi there,\n\nIf ${topic} is on your list this month, ${p.product} is worth a look. Here is what you get:`,
          list,
          notes,
          cta,
          disclosure,
        ];
      case 'landing_page':
        return [
          `# ${p.product}`,
          `## Make ${topic} simple`,
          list,
          notes,
          cta && `**Start today:** ${cta}`,
          disclosure,
        ];
      case 'review_article':
        return [
          `# ${p.product} review: ${angle}`,
          `${p.product} is built for people who care about ${topic}. Here is what it offers and who it suits.`,
          `## What you get\n\n${list}`,
          `## Who it is for\n\nReaders who want a clear, repeatable plan for ${topic} rather than promises.`,
          `## Verdict\n\n${notes ? `${notes} ` : ''}${p.product} delivers what it describes.`,
          cta && `**Ready to try ${p.product}?** ${cta}`,
          disclosure && `*${disclosure}*`,
        ];
    }
  })();
  return blocks.filter(Boolean).join('\n\n');
}
