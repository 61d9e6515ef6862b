import { fail } from '@sveltejs/kit';
import { splitApiError } from '$lib/api-words';
import { ApiError } from './api';

/**
 * A form action's answer to a failed API call, in people's words: each API field error (`details[].path`)
 * beside the form's field of that name (`fields`), everything else in one banner `message` (null when the
 * fields say it all), plus `extra` (the action's name, the typed values) so the page can show them again.
 * `details` stay for forms that place errors themselves (a sequence's steps).
 */
export function actionFailure<E extends Record<string, unknown>>(
  err: unknown,
  extra: E,
  forbidden: string,
  fields?: readonly string[],
) {
  if (!(err instanceof ApiError)) throw err;
  const split =
    err.status === 403
      ? { fieldErrors: {}, message: forbidden }
      : splitApiError(err.message, err.details, fields, err.status);
  return fail(err.status >= 500 ? 502 : err.status, {
    ...extra,
    message: split.message ?? undefined,
    fieldErrors: split.fieldErrors,
    details: err.details,
  });
}
