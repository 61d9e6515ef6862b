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
