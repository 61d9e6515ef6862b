/**
 * Markdown as the reviewer typed it. tiptap's Markdown serialiser writes `&`, `<` and `>` in text as HTML
 * entities (`&amp;`), so one edit turned "convert well & refunds" into "convert well &amp; refunds" in the
 * saved text, and every plain view (copy, compare, email) showed the entity. Our Markdown is text, not HTML:
 * these characters stay as typed. The serialiser still backslash-escapes Markdown syntax (`*`, `_`, …).
 */
import type { MarkdownManager } from '@tiptap/markdown';

type EncodeText = (text: string, node: unknown, parentNode: unknown) => string;

/** Private-use stand-ins the serialiser leaves alone. */
const standIns: [string, string][] = [
  ['&', '\uE000'],
  ['<', '\uE001'],
  ['>', '\uE002'],
];

/** Makes `manager` keep `&`, `<` and `>` in text as typed (no entities); returns it. */
export function keepTypedCharacters(manager: MarkdownManager): MarkdownManager {
  // The text encoder is private in tiptap's types; its behaviour is covered by content-markdown.test.ts.
  const m = manager as unknown as { encodeTextForMarkdown: EncodeText };
  const encode = m.encodeTextForMarkdown.bind(manager);
  m.encodeTextForMarkdown = (text, node, parentNode) => {
    let hidden = text;
    for (const [char, standIn] of standIns) hidden = hidden.replaceAll(char, standIn);
    let out = encode(hidden, node, parentNode);
    for (const [char, standIn] of standIns) out = out.replaceAll(standIn, char);
    return out;
  };
  return manager;
}
