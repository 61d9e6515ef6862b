import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { escapeHtml } from '../../lib/html';

/**
 * The rendered API reference (Scalar) of the OpenAPI document. Everything is served from here, nothing from
 * a CDN: many installations have no internet, and the page's CSP allows only its own origin.
 */

// Resolved at boot: a missing package stops the process instead of serving a blank page.
const bundlePath = require.resolve('@scalar/api-reference/browser/standalone.js');
// dist/browser/standalone.js -> the package root (package.json is not among the package's exports).
const bundleVersion = (
  JSON.parse(readFileSync(path.join(bundlePath, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Scalar options that keep the page offline and quiet: no web fonts, no telemetry, no AI agent, no dev tools. */
const scalarConfiguration = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
};

/**
 * Scalar needs inline styles (it injects its stylesheet and sets style attributes); scripts, data and fonts
 * come only from this origin. The page's own <script id="api-reference"> is empty, so it needs no hash.
 */
const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function referencePage(scriptUrl: string, specUrl: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Hopflow API</title>` +
    // An empty icon, so the browser does not ask for /favicon.ico (a 404 in the console).
    `<link rel="icon" href="data:,"></head><body>` +
    `<script id="api-reference" data-url="${escapeHtml(specUrl)}" ` +
    `data-configuration="${escapeHtml(JSON.stringify(scalarConfiguration))}"></script>` +
    `<script src="${escapeHtml(scriptUrl)}"></script></body></html>`
  );
}

/** Mounted at <base>/docs: GET / is the page, GET /scalar.js the bundle it loads; specUrl is the OpenAPI JSON. */
export function apiReferenceRouter(specUrl: string): express.Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    // The bundle URL carries the package version, so the bundle itself can be cached for good.
    const scriptUrl = `${req.baseUrl}/scalar.js?v=${encodeURIComponent(bundleVersion)}`;
    res
      .setHeader('Content-Security-Policy', API_REFERENCE_CSP)
      .type('html')
      .send(referencePage(scriptUrl, specUrl));
  });
  router.get('/scalar.js', (_req, res, next) => {
    // Set before sendFile, which keeps headers already present (the app-wide no-store among them).
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable').type('js');
    res.sendFile(bundlePath, { cacheControl: false }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
