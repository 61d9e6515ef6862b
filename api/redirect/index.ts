/** The tracking-link redirect (`/r/{slug}`), served before the Express app. See docs/analytics.md. */
export { createRedirect, REDIRECT_BASE_PATH, type Redirect } from './handler';
