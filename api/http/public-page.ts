import type { Response } from 'express';
import { escapeHtml } from '../../lib/html';

/**
 * A small HTML page for links people open from an email without logging in (unsubscribe, bonus download):
 * title and one sentence, escaped; only its own inline style may load; not cached, not indexed.
 */
export function sendPublicPage(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .setHeader('Cache-Control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
        `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;` +
        `margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.5rem}</style></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
    );
}
