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
