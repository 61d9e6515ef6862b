import type { Request } from 'express';
import type { ClientInfo } from '../services/auth';

/** req.ip honours the trust-proxy setting, so X-Forwarded-For only counts behind a configured proxy. */
export function clientInfo(req: Request): ClientInfo {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.get('user-agent') };
}
