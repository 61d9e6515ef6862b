/** Paths whose last segment is a capability (a signed token that is the permission itself). */
const TOKEN_PATHS = /^\/(u|b)\/[^/?]+/;

/**
 * The request's URL as the request log may keep it: the token of /u and /b links replaced by `:token` (whoever
 * reads the log must not be able to unsubscribe a contact or download a bonus), and every query value replaced by
 * `…` (searches carry contact names and addresses). Parameter names stay, so a log line still says what was asked.
 */
function loggableUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt === -1 ? url : url.slice(0, queryAt)).replace(TOKEN_PATHS, '/$1/:token');
  if (queryAt === -1) return path;
  const names = url
    .slice(queryAt + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? part : `${part.slice(0, eq)}=…`;
    });
  return names.length === 0 ? path : `${path}?${names.join('&')}`;
}

/** pino-http's request serializer: id, method, the loggable URL and the client address; no headers, no body. */
export function serializeRequest(req: {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
}) {
  return {
    id: req.id,
    method: req.method,
    url: loggableUrl(req.url ?? ''),
    remoteAddress: req.remoteAddress,
  };
}
