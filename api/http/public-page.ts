import type { Response } from 'express';
import { escapeHtml } from '../../lib/html';

/** Only the page's own inline style may load; nothing frames it. */
export const PUBLIC_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** The HTML of a public page: title and one sentence, escaped; not indexed. */
export function publicPageHtml(title: string, message: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;` +
    `margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222;background:#fff}h1{font-size:1.5rem}` +
    `@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`
  );
}

/**
 * A small HTML page for links people open from an email without logging in (unsubscribe, bonus download):
 * title and one sentence, escaped; only its own inline style may load; not cached, not indexed.
 */
export function sendPublicPage(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .setHeader('Content-Security-Policy', PUBLIC_PAGE_CSP)
    .setHeader('Cache-Control', 'no-store')
    .type('html')
    .send(publicPageHtml(title, message));
}
