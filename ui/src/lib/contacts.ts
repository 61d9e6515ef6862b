/** Shapes of the contacts API. */
export const contactStatuses = ['active', 'unsubscribed', 'inactive'] as const;
export type ContactStatus = (typeof contactStatuses)[number];

export interface Contact {
  id: string;
  teamId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  source: 'import' | 'sale' | 'manual' | 'api';
  status: ContactStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContactPage {
  contacts: Contact[];
  total: number;
  nextCursor: string | null;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface ImportSkip {
  line: number;
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skipped: ImportSkip[];
  total: number;
}

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
