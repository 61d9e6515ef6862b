// The API's own template code (pure, no imports): the browser renders broadcasts with exactly the same rules.
import { renderTemplate, templateProblems, textToHtml } from '../../../lib/email/render';
import type { Contact } from '$api/contacts';
import type { EmailPreview } from '$api/sequences';

export { TEMPLATE_VARIABLES as templateVariables } from '../../../lib/email/render';

interface PreviewInput {
  subject: string;
  body: string;
  contact: Contact | null;
}

/** How a preview is made: by the API (sequences know their campaign) or in the browser (broadcasts). */
export type PreviewRenderer = (input: PreviewInput, signal: AbortSignal) => Promise<EmailPreview>;

/** Posts {subject, body, contactId?} to a UI endpoint that forwards it to the API's preview route. */
export function remotePreview(endpoint: string): PreviewRenderer {
  return async ({ subject, body, contact }, signal) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ subject, body, ...(contact ? { contactId: contact.id } : {}) }),
      signal,
    });
    const answer = (await res.json().catch(() => ({}))) as Partial<EmailPreview> & {
      error?: { message: string; details?: { path: string; message: string }[] };
    };
    if (res.ok && answer.subject !== undefined) return answer as EmailPreview;
    const details = answer.error?.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
    throw new Error(details || answer.error?.message || `The preview failed (HTTP ${res.status})`);
  };
}

const sample = { first_name: 'Sam', last_name: 'Sample', email: 'sam@example.com' };

/** Renders in the browser with the contact's values (or a sample reader); a broadcast has no campaign. */
export const localPreview: PreviewRenderer = async ({ subject, body, contact }) => {
  const problems = [...templateProblems(subject), ...templateProblems(body)];
  if (problems.length > 0) throw new Error(problems.join('; '));
  const vars = contact
    ? { first_name: contact.firstName, last_name: contact.lastName, email: contact.email }
    : sample;
  const text = renderTemplate(body, { ...vars, unsubscribe_url: 'https://example.com/u/preview' });
  return { subject: renderTemplate(subject, vars), text, html: textToHtml(text) };
};
