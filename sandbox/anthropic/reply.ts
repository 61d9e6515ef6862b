import { createHash } from 'node:crypto';

/**
 * The sandbox's "model": deterministic text derived from the request, so the same prompt always gets the same
 * answer and tests can assert on words taken from the prompt. A token is one word with its trailing space.
 */

const STOPWORDS = new Set(
  (
    'about above after again also among because been before being below between both could does doing down ' +
    'during each either every from further have having here into itself just more most much must only other ' +
    'ought over same should some such than that their theirs them then there these they this those through ' +
    'under until very want were what when where which while whom whose will with within without would write ' +
    'your yours please sandbox'
  ).split(' '),
);

const OPENERS = ['Here is a clear take on', 'A practical note about', 'Quick overview of', 'Thoughts on'];
const ADJECTIVES = ['practical', 'honest', 'proven', 'simple', 'measurable', 'steady', 'useful', 'focused'];
const NOUNS = ['results', 'habits', 'readers', 'buyers', 'routines', 'choices', 'steps', 'benefits'];
const TEMPLATES = [
  (k: string, a: string, n: string) => `${cap(k)} works best when the ${n} stay ${a}.`,
  (k: string, a: string, n: string) => `Start with ${k} and keep the ${n} ${a}.`,
  (k: string, a: string, n: string) => `Most people judge ${k} by ${a} ${n}, not by promises.`,
  (k: string, a: string, n: string) => `A ${a} plan for ${k} turns small ${n} into momentum.`,
  (k: string, a: string, n: string) => `Compare ${k} options on ${a} ${n} before you decide.`,
  (k: string, a: string, n: string) => `The ${a} path to ${k} is built from repeatable ${n}.`,
];

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** mulberry32: tiny seeded PRNG, plenty for choosing words. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words of the prompt worth echoing back: first occurrences, at least 4 letters, no filler words. */
export function promptKeywords(prompt: string, max = 6): string[] {
  const seen = new Set<string>();
  for (const raw of prompt.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []) {
    const word = raw.replace(/['-]+$/, '');
    if (word.length < 4 || STOPWORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    if (seen.size === max) break;
  }
  return [...seen];
}

/** Splits text into tokens: each word with the whitespace that follows it. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

/**
 * The full reply for a prompt. `seedSource` (the whole request minus volatile fields) picks the wording; the
 * prompt's keywords appear in the first sentence and throughout.
 */
export function composeReply(prompt: string, seedSource: string): string {
  const seed = createHash('sha256').update(seedSource).digest().readUInt32BE(0);
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const keywords = promptKeywords(prompt);
  if (keywords.length === 0) keywords.push('your request');

  const head =
    keywords.length === 1
      ? keywords[0]
      : `${keywords.slice(0, -1).slice(0, 3).join(', ')} and ${keywords[keywords.length - 1]}`;
  const sentences = [`${pick(OPENERS)} ${head}.`];
  const count = 4 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    sentences.push(pick(TEMPLATES)(keywords[i % keywords.length]!, pick(ADJECTIVES), pick(NOUNS)));
  }
  // Two paragraphs, so consumers see newlines inside the stream too.
  const middle = Math.ceil(sentences.length / 2);
  return `${sentences.slice(0, middle).join(' ')}\n\n${sentences.slice(middle).join(' ')}`;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence';

export interface Completion {
  text: string;
  stopReason: StopReason;
  stopSequence: string | null;
  outputTokens: number;
}

/** Applies stop sequences and max_tokens the way the API does: the text is cut, the stop reason says why. */
export function complete(
  reply: string,
  maxTokens: number,
  stopSequences: readonly string[] = [],
): Completion {
  let text = reply;
  let stopReason: StopReason = 'end_turn';
  let stopSequence: string | null = null;
  for (const sequence of stopSequences) {
    const at = sequence ? text.indexOf(sequence) : -1;
    if (at >= 0) {
      text = text.slice(0, at);
      stopReason = 'stop_sequence';
      stopSequence = sequence;
    }
  }
  const tokens = tokenize(text);
  if (tokens.length > maxTokens) {
    return {
      text: tokens.slice(0, maxTokens).join(''),
      stopReason: 'max_tokens',
      stopSequence: null,
      outputTokens: maxTokens,
    };
  }
  return { text, stopReason, stopSequence, outputTokens: tokens.length };
}
