import { escapeHtml } from '../html';

/**
 * Email templates: plain text with `{{ variable }}` placeholders and an optional fallback,
 * `{{ first_name | "there" }}`. Only the variables below exist; anything else is reported when the template is
 * saved (templateProblems), so a reader never sees a raw `{{ typo }}`.
 */
export const TEMPLATE_VARIABLES = [
  'first_name',
  'last_name',
  'email',
  'product',
  'hoplink',
  'campaign',
  'bonus_link',
  'unsubscribe_url',
] as const;

type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVars = Partial<Record<TemplateVariable, string | null | undefined>>;

const known = new Set<string>(TEMPLATE_VARIABLES);
// {{ name }} or {{ name | "fallback" }}; the fallback may not contain a double quote.
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w]*)\s*(?:\|\s*"([^"]*)"\s*)?\}\}/g;

export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const value = known.has(name) ? vars[name as TemplateVariable] : undefined;
    return value !== undefined && value !== null && value !== '' ? value : (fallback ?? '');
  });
}

/** Plain-language problems with a template: unknown variables, braces that do not form a placeholder. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!known.has(name)) {
      problems.push(`unknown variable {{ ${name} }}; use one of: ${TEMPLATE_VARIABLES.join(', ')}`);
    }
  }
  const leftover = template.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    problems.push('"{{" or "}}" that is not a complete placeholder such as {{ first_name }}');
  }
  return [...new Set(problems)];
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/** The HTML part for a plain-text body: escaped, blank lines -> paragraphs, line breaks kept, links clickable. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const body = paragraphs
    .map((p) => {
      const escaped = escapeHtml(p).replace(URL_IN_TEXT, (url) => `<a href="${url}">${url}</a>`);
      return `<p>${escaped.replace(/\n/g, '<br>\n')}</p>`;
    })
    .join('\n');
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">\n${body}\n</body></html>`;
}

/** Template variables for one contact of a campaign (sample values in previews). */
export function emailTemplateVars(
  campaign: { name: string; productTitle: string | null; hoplink: string } | null,
  contact: { email: string; firstName: string | null; lastName: string | null },
  unsubscribeUrl: string,
): TemplateVars {
  return {
    first_name: contact.firstName,
    last_name: contact.lastName,
    email: contact.email,
    product: campaign?.productTitle,
    hoplink: campaign?.hoplink,
    campaign: campaign?.name,
    unsubscribe_url: unsubscribeUrl,
  };
}

export function renderEmail(
  template: { subject: string; body: string },
  vars: TemplateVars,
): { subject: string; text: string; html: string } {
  const subject = renderTemplate(template.subject, vars).replace(/\s+/g, ' ').trim();
  const text = renderTemplate(template.body, vars);
  return { subject, text, html: textToHtml(text) };
}
