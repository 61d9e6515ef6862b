import { z } from 'zod';

/** Limits on a contact's fields: the API's schemas, the CSV reader and the bulk upsert share them. */
export const MAX_TAGS_PER_CONTACT = 20;
export const TAG_MAX_LENGTH = 40;
export const CONTACT_NAME_MAX_LENGTH = 100;
/** A search counts its matches up to this many: past it the page says "10,000+" rather than counting them all. */
export const CONTACT_SEARCH_COUNT_CAP = 10_000;

/** An email address as stored: trimmed, lower-cased, at most 254 characters. */
export const emailAddress = z.string().trim().toLowerCase().max(254).email('Enter a valid email address');
