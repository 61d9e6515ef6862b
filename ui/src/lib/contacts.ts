/** Contact statuses as values, and helpers for the contacts pages (the API's shapes: $api/contacts). */
import type { Contact, ContactStatus } from '$api/contacts';
import { everyValue } from './every-value';

export const contactStatuses = everyValue<ContactStatus>()(['active', 'unsubscribed', 'inactive']);

export function isContactStatus(value: string | null): value is ContactStatus {
  return (contactStatuses as readonly (string | null)[]).includes(value);
}

/** "vip, Buyers ,," -> ['vip', 'buyers'] (the API lower-cases and trims too). */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t !== ''),
    ),
  ];
}

export function contactName(c: Pick<Contact, 'firstName' | 'lastName'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}

const statusWords: Record<ContactStatus, string> = {
  active: 'Active',
  unsubscribed: 'Unsubscribed',
  inactive: 'Inactive',
};

export function contactStatusLabel(status: string): string {
  return statusWords[status as ContactStatus] ?? status;
}

const sourceWords: Record<string, string> = {
  import: 'Imported',
  sale: 'From a sale',
  manual: 'Added by hand',
  api: 'Added by an integration',
};

export function contactSourceLabel(source: string): string {
  return sourceWords[source] ?? 'Added';
}

/** The list's heading: "3 contacts" or, with filters, "3 contacts match" (a capped count reads "1,000+"). */
export function contactTotalText(total: number, capped: boolean, filtered: boolean): string {
  const count = `${total.toLocaleString('en-US')}${capped ? '+' : ''}`;
  const noun = total === 1 && !capped ? 'contact' : 'contacts';
  if (!filtered) return `${count} ${noun}`;
  return `${count} ${noun} ${total === 1 && !capped ? 'matches' : 'match'}`;
}
