import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { badRequest, type ErrorDetail } from '../../lib/errors';
import { BAD_TEXT_MESSAGE, unstorableTextPaths } from '../../lib/text';
import './locals';

export interface ValidationSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

function toDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * Every string PostgreSQL could not store (NUL, an unpaired surrogate) in a request's params, query or body, as
 * details in the same path style as zod's. Checked on the input as sent, with or without a schema, so fields a
 * route reads itself (after a loose schema, or none) are covered too.
 */
function unstorableTextDetails(input: unknown, prefix?: string): ErrorDetail[] {
  return unstorableTextPaths(input).map((path) => ({
    path: [...(prefix ? [prefix] : []), ...(path ? [path] : [])].join('.') || '(root)',
    message: BAD_TEXT_MESSAGE,
  }));
}

/**
 * Parses params, query and body with zod and leaves the parsed values on res.locals.valid.
 * Every problem across the three parts is reported at once: 400 validation_failed, details [{path, message}].
 * Body paths are bare ("email", "members.0.role"); params and query are prefixed ("params.userId").
 * A string with a NUL or an unpaired surrogate anywhere in them is one of those problems (unstorableTextDetails).
 */
export function validate(schemas: ValidationSchemas): RequestHandler {
  return (req, res, next) => {
    const details: ErrorDetail[] = [];
    const parse = (schema: z.ZodType | undefined, input: unknown, prefix?: string): unknown => {
      const badText = unstorableTextDetails(input, prefix);
      details.push(...badText);
      if (!schema) return undefined;
      const result = schema.safeParse(input);
      if (result.success) return badText.length > 0 ? undefined : result.data;
      // A field with bad text is reported once, with the bad-text message.
      const flagged = new Set(badText.map((d) => d.path));
      details.push(...toDetails(result.error, prefix).filter((d) => !flagged.has(d.path)));
      return undefined;
    };
    const valid = {
      params: parse(schemas.params, req.params, 'params'),
      query: parse(schemas.query, req.query, 'query'),
      // express.json leaves body undefined when no JSON was sent; treat that as an empty object.
      body: parse(schemas.body, req.body ?? {}),
    };
    if (details.length > 0) throw badRequest('The request is not valid', details);
    res.locals.valid = valid;
    next();
  };
}
