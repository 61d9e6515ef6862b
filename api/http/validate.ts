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

/** A zod error as details: body paths bare, others under `prefix` ("params.userId"). */
function toDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return dedupe(issueDetails(error.issues, [])).map((detail) => ({
    path: [...(prefix ? [prefix] : []), ...(detail.path ? [detail.path] : [])].join('.') || '(root)',
    message: detail.message,
  }));
}

/** zod's default message for a union no branch accepted; anything else was written for the schema. */
const DEFAULT_UNION_MESSAGE = 'Invalid input';

/**
 * Flattens zod issues into details. A union no branch accepted (invalid_union) is reported through the branch
 * closest to the input (fewest problems); when several are equally close, through the fields they disagree
 * on (each missing or unexpected field), with the union's own message if the schema gives one
 * ("Choose a product or enter a vendor"), else each branch's messages.
 */
function issueDetails(issues: readonly z.core.$ZodIssue[], base: PropertyKey[]): ErrorDetail[] {
  return issues.flatMap((issue): ErrorDetail[] => {
    const path = [...base, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) {
      return [{ path: path.map(String).join('.'), message: issue.message }];
    }
    const weight = (branch: readonly z.core.$ZodIssue[]) =>
      branch.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
    const best = Math.min(...issue.errors.map(weight));
    const closest = issue.errors.filter((branch) => weight(branch) === best);
    if (closest.length === 1) return issueDetails(closest[0] ?? [], path);
    if (issue.message === DEFAULT_UNION_MESSAGE)
      return closest.flatMap((branch) => issueDetails(branch, path));
    return closest.flatMap((branch) =>
      branch.flatMap((i) =>
        (i.code === 'unrecognized_keys' ? i.keys.map((key) => [...i.path, key]) : [i.path]).map((p) => ({
          path: [...path, ...p].map(String).join('.'),
          message: issue.message,
        })),
      ),
    );
  });
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
 * One part of a request checked against its schema: the parsed value (undefined when there is no schema or a
 * problem), and every problem as details. A field with bad text is reported once, with the bad-text message.
 */
function checkPart(
  schema: z.ZodType | undefined,
  input: unknown,
  prefix?: string,
): { value: unknown; details: ErrorDetail[] } {
  const badText = unstorableTextDetails(input, prefix);
  if (!schema) return { value: undefined, details: badText };
  const result = schema.safeParse(input);
  if (result.success) return { value: badText.length > 0 ? undefined : result.data, details: badText };
  const flagged = new Set(badText.map((d) => d.path));
  return {
    value: undefined,
    details: [...badText, ...toDetails(result.error, prefix).filter((d) => !flagged.has(d.path))],
  };
}

/**
 * For input a route reads itself (multipart form fields): the same checks as validate(), as the parsed value
 * or a thrown 400 validation_failed.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const { value, details } = checkPart(schema, input);
  if (details.length > 0) throw badRequest('The request is not valid', details);
  return value as z.output<T>;
}

/**
 * Parses params, query and body with zod and leaves the parsed values on res.locals.valid.
 * Every problem across the three parts is reported at once: 400 validation_failed, details [{path, message}].
 * Body paths are bare ("email", "members.0.role"); params and query are prefixed ("params.userId").
 * A string with a NUL or an unpaired surrogate anywhere in them is one of those problems (unstorableTextDetails).
 */
export function validate(schemas: ValidationSchemas): RequestHandler {
  return (req, res, next) => {
    const params = checkPart(schemas.params, req.params, 'params');
    const query = checkPart(schemas.query, req.query, 'query');
    // express.json leaves body undefined when no JSON was sent; treat that as an empty object.
    const body = checkPart(schemas.body, req.body ?? {});
    const details = [...params.details, ...query.details, ...body.details];
    if (details.length > 0) throw badRequest('The request is not valid', details);
    res.locals.valid = { params: params.value, query: query.value, body: body.value };
    next();
  };
}
