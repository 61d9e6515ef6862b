import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Role } from '../../lib/roles';
import type { AuthContext, TeamMembership } from './locals';
import { validate } from './validate';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as it is instead of JSON (e.g. a CSV file; its Content-Type goes in headers). */
  text?: string;
}

interface RouteContext<P, Q, B, A extends boolean, T extends Role | undefined> {
  params: Output<P>;
  query: Output<Q>;
  body: Output<B>;
  auth: A extends true ? AuthContext : undefined;
  membership: T extends Role ? TeamMembership : undefined;
  req: Request;
  res: Response;
}

export interface RouteSpec<P, Q, B, A extends boolean, T extends Role | undefined> {
  method: Method;
  /** OpenAPI-style path below /api/v1, e.g. /teams/{teamId}. */
  path: string;
  summary: string;
  tag: string;
  /** Requires a valid access token. */
  auth: A;
  /** Minimum role in the team named by {teamId}; the path must contain {teamId}. */
  teamRole?: T;
  params?: P;
  query?: Q;
  body?: B;
  /** A body the handler reads itself: JSON or multipart/form-data with a `file` part (documented, not validated here). */
  upload?: UploadSpec;
  /** A text/csv body the handler reads itself, with what the document says about it. */
  csv?: string;
  /**
   * A heavy request (a search or an import over a whole contact list): it takes one of the team's few slots for
   * its duration and answers 429 team_busy when they are all taken. A function decides per request from the
   * validated query (e.g. only a listing with a search term). Needs teamRole.
   */
  heavy?: true | ((query: Output<Q>) => boolean);
  responses: Record<number, ResponseSpec>;
  handler: (ctx: RouteContext<P, Q, B, A, T>) => Promise<RouteResult>;
}

interface UploadSpec {
  /** The JSON body. */
  json: z.ZodType;
  /** The multipart fields besides the `file` part. */
  form: z.ZodObject;
}

/** A route with its types erased, so routers and the OpenAPI generator can hold a plain list. */
export interface ApiRoute {
  method: Method;
  path: string;
  expressPath: string;
  summary: string;
  tag: string;
  auth: boolean;
  teamRole?: Role;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  upload?: UploadSpec;
  csv?: string;
  /** Whether this request (its validated query) is heavy; undefined: the route never is. */
  heavy?: (query: unknown) => boolean;
  responses: Record<number, ResponseSpec>;
  run(req: Request, res: Response): Promise<RouteResult>;
}

export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  A extends boolean = true,
  T extends Role | undefined = undefined,
>(spec: RouteSpec<P, Q, B, A, T>): ApiRoute {
  if (spec.teamRole && !spec.path.includes('{teamId}')) {
    throw new Error(`${spec.method.toUpperCase()} ${spec.path}: teamRole needs a {teamId} path parameter`);
  }
  if (spec.heavy && !spec.teamRole) {
    throw new Error(`${spec.method.toUpperCase()} ${spec.path}: heavy counts per team, so it needs teamRole`);
  }
  const heavy = spec.heavy;
  return {
    method: spec.method,
    path: spec.path,
    expressPath: spec.path.replace(/\{(\w+)\}/g, ':$1'),
    summary: spec.summary,
    tag: spec.tag,
    auth: spec.auth,
    teamRole: spec.teamRole,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    upload: spec.upload,
    csv: spec.csv,
    heavy: heavy && ((query) => heavy === true || heavy(query as Output<Q>)),
    responses: spec.responses,
    run: (req, res) => {
      const valid = res.locals.valid;
      // The middleware chain guarantees these shapes; the casts only restore the types erased above.
      return spec.handler({
        params: valid?.params as Output<P>,
        query: valid?.query as Output<Q>,
        body: valid?.body as Output<B>,
        auth: res.locals.auth as RouteContext<P, Q, B, A, T>['auth'],
        membership: res.locals.membership as RouteContext<P, Q, B, A, T>['membership'],
        req,
        res,
      });
    },
  };
}

export interface RouteGuards {
  requireUser: RequestHandler;
  teamAccess(minRole: Role): RequestHandler;
  /** Takes one of the team's heavy-request slots (429 when none is free); resolves to its release. */
  heavySlot(teamId: string): Promise<() => Promise<void>>;
}

/**
 * Mounts each route with the same chain: label -> auth -> team access -> validation -> handler.
 * Team access runs before validation so an outsider learns nothing (404) even from a bad body.
 * A heavy request takes its team's slot after validation (a bad request never holds one) and gives it back
 * when the handler ends, whether it answered or threw.
 */
export function mountRoutes(router: Router, routes: ApiRoute[], guards: RouteGuards, basePath: string): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [
      (_req, res, next) => {
        res.locals.routePattern = basePath + route.expressPath;
        next();
      },
    ];
    if (route.auth) chain.push(guards.requireUser);
    if (route.teamRole) chain.push(guards.teamAccess(route.teamRole));
    chain.push(validate({ params: route.params, query: route.query, body: route.body }));
    chain.push(async (req, res) => {
      const teamId = res.locals.membership?.teamId;
      const release =
        teamId && route.heavy?.(res.locals.valid?.query) ? await guards.heavySlot(teamId) : undefined;
      try {
        const result = await route.run(req, res);
        for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
        const status = result.status ?? 200;
        if (result.text !== undefined) res.status(status).send(result.text);
        else if (result.body === undefined) res.status(status).end();
        else res.status(status).json(result.body);
      } finally {
        await release?.();
      }
    });
    router[route.method](route.expressPath, ...chain);
  }
}
