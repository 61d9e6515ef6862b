import { Counter, Gauge, type Registry } from 'prom-client';
import type { Redirect } from './handler';

/**
 * The redirect's figures on /metrics, read from its counters when scraped (nothing is added on the hot path):
 * redirects by outcome, clicks written and dropped, clicks held.
 */
export function registerRedirectMetrics(registry: Registry, redirect: Redirect): void {
  const seen = { answered: 0, unknown: 0, written: 0, dropped: 0 };
  const redirects = new Counter({
    name: 'tracking_link_requests_total',
    help: 'Requests to /r/{slug}: redirected (302) or unknown link (404)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = redirect.stats();
      redirects.inc({ outcome: 'redirected' }, s.redirected - seen.answered);
      redirects.inc({ outcome: 'unknown' }, s.unknown - seen.unknown);
      seen.answered = s.redirected;
      seen.unknown = s.unknown;
    },
  });
  const clicks = new Counter({
    name: 'clicks_total',
    help: 'Clicks written to the database, or dropped (buffer full, refused by the database, lost at stop)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = redirect.stats();
      clicks.inc({ outcome: 'written' }, s.written - seen.written);
      clicks.inc({ outcome: 'dropped' }, s.dropped - seen.dropped);
      seen.written = s.written;
      seen.dropped = s.dropped;
    },
  });
  const pending = new Gauge({
    name: 'click_buffer_pending',
    help: 'Clicks held in memory, waiting to be written',
    registers: [registry],
    collect() {
      pending.set(redirect.stats().pending);
    },
  });
}
