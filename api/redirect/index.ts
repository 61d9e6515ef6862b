/** The tracking-link redirect (`/r/{slug}`), served before the Express app. See docs/analytics.md. */
export { createRedirect, type Redirect } from './handler';
export { registerRedirectMetrics } from './metrics';
