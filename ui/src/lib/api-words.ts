/**
 * API answers in words for people: messages written for developers rewritten, and field errors
 * (`details[].path`) sorted into the form's own fields and what is left for the banner. Pure, so the form
 * actions and the tests share it.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The generic validation message: never shown, the details say what is wrong. */
const GENERIC_INVALID = 'The request is not valid';

/** Messages (or patterns) written for developers -> what a person should do. */
const rewrites: [RegExp, string][] = [
  [/^\w+ must be in the future$/i, 'Pick a time in the future'],
  [
    /Temporal is not reachable/i,
    'The app’s background worker is not reachable right now. Try again in a minute.',
  ],
  [/^No campaign of this team has this id$/i, 'This campaign no longer exists. Pick another one.'],
  [/^No contact of this team has this id$/i, 'This contact no longer exists. Pick another one.'],
  [
    /^No product in the catalog has this id$/i,
    'This product is not in the catalog any more. Pick another one.',
  ],
  [/^Invalid UUID$/i, 'Pick one from the list'],
  [/^Invalid (input|option)/i, 'Pick one of the choices'],
  [/^Invalid email/i, 'Enter an email address like ana@example.com'],
  [/^Invalid ISO datetime$|^Invalid datetime/i, 'Enter a date and time'],
  [/^Too big: expected string to have <=\s?(\d+) characters?$/i, 'Use at most $1 characters'],
  [/^Too small: expected string to have >=\s?1 characters?$/i, 'Fill this in'],
  [/^Required$|^Invalid input: expected \w+, received undefined$/i, 'Fill this in'],
  [/^Unrecognized key/i, 'Something unexpected was sent. Reload the page and try again.'],
  [
    /already has an import running.*/i,
    'An import is already running. Wait until it ends, then send the next file.',
  ],
  [
    /^The broadcast is (\w+); only a scheduled one can be cancelled$/i,
    'Only a broadcast that has not started sending can be cancelled',
  ],
  [/^Authentication required$/i, 'Your session ended. Sign in again.'],
];

/** An API message in a person's words; unknown messages (already written for people) pass through. */
export function plainMessage(message: string, status = 400): string {
  if (status >= 500 && !/reachable/i.test(message))
    return 'Something went wrong on our side. Try again in a moment.';
  if (status === 429) return 'Too many tries in a short time. Wait a minute, then try again.';
  for (const [pattern, words] of rewrites) {
    if (pattern.test(message)) return message.replace(pattern, words);
  }
  return message;
}

/** The form field a detail path points at: `body.name` -> name; `steps.1.body` -> body; `params.x` -> x. */
export function detailField(path: string): string {
  const segments = path.split('.').filter((s) => s !== '' && !/^\d+$/.test(s));
  return segments.at(-1) ?? path;
}

/** "sendAt" -> "Send at" for a banner line about a field the form does not show. */
function fieldWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/**
 * Sorts an API error into field errors for the form's `fields` (first message per field) and one banner
 * message for the rest, so every problem shows exactly once: at its field or in the banner. With `fields`
 * left out every detail goes to the banner. The generic "not valid" message never reaches the banner.
 */
export function splitApiError(
  message: string,
  details: readonly ErrorDetail[],
  fields?: readonly string[],
  status = 400,
): { fieldErrors: Record<string, string>; message: string | null } {
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  for (const d of details) {
    const name = detailField(d.path);
    const words = plainMessage(d.message, status);
    if (fields?.includes(name)) {
      fieldErrors[name] ??= words;
    } else {
      const line = name && name !== '(root)' ? `${fieldWords(name)}: ${words}` : words;
      if (!rest.includes(line)) rest.push(line);
    }
  }
  // A refusal other than validation (a conflict, a missing record) has its own sentence: say that instead.
  if (rest.length > 0 && status !== 400) return { fieldErrors, message: plainMessage(message, status) };
  if (rest.length > 0) return { fieldErrors, message: rest.join(' ') };
  if (details.length > 0) return { fieldErrors, message: null };
  const banner =
    message === GENERIC_INVALID
      ? 'Something in the form is not right. Check it and try again.'
      : plainMessage(message, status);
  return { fieldErrors, message: banner };
}
