/** Recipient lists as Postmark reads them: comma separated, each `addr@host` or `"Name" <addr@host>`. */

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

export interface ParsedAddresses {
  emails: string[];
  /** The first entry that is not an email address, if any. */
  invalid?: string;
}

export function parseAddressList(value: string): ParsedAddresses {
  const emails: string[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const angle = /<([^>]*)>\s*$/.exec(entry);
    const email = (angle ? angle[1]! : entry).trim();
    if (!EMAIL.test(email)) return { emails, invalid: entry };
    emails.push(email.toLowerCase());
  }
  return { emails };
}

export const isEmailAddress = (value: string): boolean => parseAddressList(value).emails.length === 1;

/**
 * Failures on demand by recipient: `ratelimit+N@...` answers 429 the first N times that address is sent to,
 * `error500+N@...` answers 500 the first N times.
 */
export function failureMarker(email: string): { status: 429 | 500; times: number } | undefined {
  const match = /^(ratelimit|error500)\+(\d+)@/.exec(email);
  if (!match) return undefined;
  return { status: match[1] === 'ratelimit' ? 429 : 500, times: Number(match[2]) };
}

/** Built-in suppression rule: every address at inactive.sandbox.test is "inactive" (hard bounced). */
export const isBuiltInSuppressed = (email: string): boolean => email.endsWith('@inactive.sandbox.test');
