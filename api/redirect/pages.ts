import type { IncomingMessage, ServerResponse } from 'node:http';
import { PUBLIC_PAGE_CSP, publicPageHtml } from '../http/public-page';

/** A public HTML page answered straight on the node response (the redirect runs before Express). */
export function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  title: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = publicPageHtml(title, message);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': PUBLIC_PAGE_CSP,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export const unknownLinkPage = (req: IncomingMessage, res: ServerResponse) =>
  sendPage(
    req,
    res,
    404,
    'This link does not lead anywhere',
    'The link may be mistyped or cut short. Check it against where you found it, or ask whoever shared it for the full link.',
  );

export const unavailablePage = (req: IncomingMessage, res: ServerResponse) =>
  sendPage(
    req,
    res,
    503,
    'This link is taking a break',
    'We could not look this link up just now. Please try again in a minute.',
    { 'Retry-After': '30' },
  );
