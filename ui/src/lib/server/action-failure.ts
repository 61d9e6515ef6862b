import { fail } from '@sveltejs/kit';
import { ApiError } from './api';

/**
 * A form action's answer to a failed API call: the API's message and field errors (keyed by the last path
 * segment) plus `extra` (the action's name, the typed values) so the page shows them beside the fields.
 */
export function actionFailure<E extends Record<string, unknown>>(err: unknown, extra: E, forbidden: string) {
  if (!(err instanceof ApiError)) throw err;
  return fail(err.status >= 500 ? 502 : err.status, {
    ...extra,
    message: err.status === 403 ? forbidden : err.message,
    fieldErrors: err.fieldErrors(),
    details: err.details,
  });
}
