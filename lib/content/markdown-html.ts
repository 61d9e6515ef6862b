import { escapeHtml } from '../html';

/**
 * The pipeline's Markdown as HTML for WordPress (whose editor does not read Markdown): the subset the review
 * editor writes and Claude uses — headings, paragraphs, bulleted and numbered lists, quotes, rules, bold,
 * italic, inline code and links. Everything is escaped first; only http(s) and mailto links become anchors.
 * (A stopgap until a Markdown library is a declared dependency of the server.)
 */

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

function inline(text: string): string {
  // Code spans and anchors are set aside while emphasis is applied, so a URL's _ or * is never touched.
  const kept: string[] = [];
  const keep = (html: string) => `\uE000${kept.push(html) - 1}\uE000`;
  let out = escapeHtml(text);
  out = out.replace(/`([^`]+)`/g, (_m, code: string) => keep(`<code>${code}</code>`));
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole: string, label: string, href: string) => {
    const url = href.replace(/&amp;/g, '&');
    return SAFE_URL.test(url) ? keep(`<a href="${escapeHtml(url)}">`) + label + keep('</a>') : whole;
  });
  out = out.replace(
    /\*\*([^*]+)\*\*|__([^_]+)__/g,
    (_m, a?: string, b?: string) => `<strong>${a ?? b}</strong>`,
  );
  out = out.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)|(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, (...m: string[]) =>
    m[2] !== undefined ? `${m[1]}<em>${m[2]}</em>` : `${m[3]}<em>${m[4]}</em>`,
  );
  return out.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => kept[Number(i)] ?? '');
}

type Block = { kind: 'p' | 'ul' | 'ol' | 'quote'; lines: string[] };
const isList = (b: Block | null): b is Block => b?.kind === 'ul' || b?.kind === 'ol';

export function markdownToHtml(markdown: string): string {
  const html: string[] = [];
  let block = null as Block | null;
  const flush = () => {
    if (!block) return;
    const b: Block = block;
    if (b.kind === 'p') html.push(`<p>${b.lines.map(inline).join('<br />\n')}</p>`);
    else if (b.kind === 'quote')
      html.push(`<blockquote><p>${b.lines.map(inline).join('<br />\n')}</p></blockquote>`);
    else html.push(`<${b.kind}>\n${b.lines.map((l) => `<li>${inline(l)}</li>`).join('\n')}\n</${b.kind}>`);
    block = null;
  };
  const add = (kind: Block['kind'], line: string) => {
    let current = block;
    if (current?.kind !== kind) {
      flush();
      current = block = { kind, lines: [] };
    }
    current.lines.push(line);
  };

  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    let m: RegExpExecArray | null;
    if (!line.trim()) flush();
    else if ((m = /^(#{1,6})\s+(.*?)\s*#*$/.exec(line))) {
      flush();
      const level = m[1]!.length;
      html.push(`<h${level}>${inline(m[2]!)}</h${level}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      html.push('<hr />');
    } else if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) add('ul', m[1]!);
    else if ((m = /^\s*\d+[.)]\s+(.*)$/.exec(line))) add('ol', m[1]!);
    else if ((m = /^>\s?(.*)$/.exec(line))) add('quote', m[1]!);
    else if (isList(block) && /^\s+\S/.test(raw)) {
      // A wrapped list item continues the item above.
      block.lines[block.lines.length - 1] += ` ${line.trim()}`;
    } else add('p', line.trim());
  }
  flush();
  return html.join('\n');
}
