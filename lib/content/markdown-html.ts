import MarkdownIt from 'markdown-it';

/**
 * The pipeline's Markdown as HTML for WordPress (whose editor does not read Markdown), by markdown-it.
 * Raw HTML in the text is escaped, never passed through (Claude's output and reviewers' edits are not trusted
 * markup), and only http(s) and mailto links become anchors. Single line breaks stay line breaks.
 */
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true, xhtmlOut: true });
md.validateLink = (url: string) => SAFE_URL.test(url.trim());

export function markdownToHtml(markdown: string): string {
  return md.render(markdown).trim();
}

/**
 * What a WordPress post gets from the text: its title is the text's first top-level heading (`# ...`), and the
 * body is the HTML of the rest, so WordPress (which shows the title as the page heading) does not show it
 * twice. Without such a heading the post keeps `fallbackTitle` and the whole text.
 */
export function wordpressPost(markdown: string, fallbackTitle: string): { title: string; content: string } {
  const tokens = md.parse(markdown, {});
  const at = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1' && t.level === 0);
  const heading = at >= 0 ? tokens[at] : undefined;
  const title = heading ? plainText(tokens[at + 1]?.children ?? []) : '';
  if (!heading?.map || !title) return { title: fallbackTitle, content: markdownToHtml(markdown) };
  const lines = markdown.split('\n');
  const [from, to] = heading.map;
  const rest = [...lines.slice(0, from), ...lines.slice(to)].join('\n');
  return { title, content: markdownToHtml(rest) };
}

/** The words of an inline run, without its Markdown (`**Big** *news*` -> `Big news`). */
function plainText(children: readonly { type: string; content: string }[]): string {
  return children
    .map((c) => (c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : c.content))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
