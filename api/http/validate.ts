import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { badRequest, type ErrorDetail } from '../../lib/errors';
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
 * Parses params, query and body with zod and leaves the parsed values on res.locals.valid.
 * Every problem across the three parts is reported at once: 400 validation_failed, details [{path, message}].
 * Body paths are bare ("email", "members.0.role"); params and query are prefixed ("params.userId").
 */
export function validate(schemas: ValidationSchemas): RequestHandler {
  return (req, res, next) => {
    const details: ErrorDetail[] = [];
    const parse = (schema: z.ZodType | undefined, input: unknown, prefix?: string): unknown => {
      if (!schema) return undefined;
      const result = schema.safeParse(input);
      if (result.success) return result.data;
      details.push(...toDetails(result.error, prefix));
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
