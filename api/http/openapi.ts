import { OpenApiGeneratorV3, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { errorSchema } from '../schemas/common';
import { z } from '../schemas/zod';
import type { ApiRoute } from './route';
import { TEAM_BUSY_DESCRIPTION } from './team-concurrency';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

function requestBody(route: ApiRoute): NonNullable<RouteConfig['request']>['body'] {
  if (route.upload) {
    return {
      required: true,
      content: {
        'application/json': { schema: route.upload.json },
        'multipart/form-data': {
          schema: route.upload.form.extend({
            file: z.string().openapi({ type: 'string', format: 'binary', description: 'The bonus file' }),
          }),
        },
      },
    };
  }
  if (route.csv) {
    return {
      required: true,
      content: { 'text/csv': { schema: z.string().openapi({ description: route.csv }) } },
    };
  }
  if (route.body) return { required: true, content: { 'application/json': { schema: route.body } } };
  return undefined;
}

/** Builds the document from the same route table the router mounts, so the two cannot drift. */
export function buildOpenApiDocument(
  routes: ApiRoute[],
  opts: {
    version: string;
    basePath: string;
    /** Routes behind a per-address limiter (they answer 429 rate_limited past it), with its message. */
    rateLimited?: { method: string; path: string; message: string }[];
  },
) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  for (const route of routes) {
    const responses: RouteConfig['responses'] = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      if (Number(status) >= 400) responses[status] = errorResponse(spec.description);
      else if (spec.schema)
        responses[status] = {
          description: spec.description,
          content: { 'application/json': { schema: spec.schema } },
        };
      else responses[status] = { description: spec.description };
    }
    // The errors every route of this kind can answer, unless the route documents them itself.
    const common: [string, string, boolean][] = [
      [
        '400',
        'Validation failed (details name each field)',
        Boolean(route.params || route.query || route.body || route.upload || route.csv),
      ],
      ['401', 'Missing, invalid or expired access token, or one of an ended session', route.auth],
      ['403', 'Your role in this team is too low', Boolean(route.teamRole)],
      ['404', 'Not found, or not a member of the team', Boolean(route.teamRole) || route.path.includes('{')],
      // express.json's limit for any JSON body; the upload limit for a file.
      [
        '413',
        'payload_too_large: the body (or the file) is larger than the limit',
        Boolean(route.body || route.upload || route.csv),
      ],
    ];
    const limiter = opts.rateLimited?.find(
      (door) => door.method === route.method && door.path === route.path,
    );
    if (limiter) common.push(['429', `rate_limited: ${limiter.message} (see Retry-After)`, true]);
    common.push(['429', TEAM_BUSY_DESCRIPTION, Boolean(route.heavy)]);
    // Any route's statement can run past DB_STATEMENT_TIMEOUT_MS (api/http/errors.ts).
    common.push([
      '503',
      'database_timeout: a database statement ran past the API’s statement timeout and was stopped (see Retry-After)',
      true,
    ]);
    for (const [status, description, applies] of common) {
      if (applies && !responses[status]) responses[status] = errorResponse(description);
    }

    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.auth ? { security: [{ bearerAuth: [] }] } : {}),
      ...(route.teamRole ? { 'x-min-role': route.teamRole } : {}),
      request: {
        params: route.params,
        query: route.query,
        body: requestBody(route),
      },
      responses,
    });
  }

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Hopflow API',
      version: opts.version,
      description: 'Errors: { error: { code, message, details, requestId } }',
    },
    servers: [{ url: opts.basePath }],
  });
}
