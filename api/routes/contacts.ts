import express, { type Request, type Response } from 'express';
import { AppError } from '../../lib/errors';
import { defineRoute, type ApiRoute } from '../http/route';
import {
  contactParams,
  contactResponse,
  contactsResponse,
  contactTagsResponse,
  createContactBody,
  importContactsQuery,
  importResultSchema,
  listContactsQuery,
  updateContactBody,
} from '../schemas/contacts';
import { teamParams } from '../schemas/teams';
import type { ContactImportService } from '../services/contact-import';
import type { ContactService } from '../services/contacts';

/** One import request; the UI sends big files in pieces of ~1000 rows, far below this. */
const CSV_IMPORT_LIMIT_BYTES = 10 * 1024 * 1024;
const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

const readText = express.text({ type: () => true, limit: CSV_IMPORT_LIMIT_BYTES, defaultCharset: 'utf-8' });

/** The request body as text (413 above the limit, 415 for JSON, forms and other non-CSV types). */
async function csvBody(req: Request, res: Response): Promise<string> {
  const type = req.headers['content-type'];
  if (type !== undefined && !req.is(CSV_TYPES)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as text/csv', [
      { path: 'content-type', message: `Expected text/csv, got ${type}` },
    ]);
  }
  await new Promise<void>((resolve, reject) => {
    readText(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        resolve();
        return;
      }
      const bodyError = err as { type?: string };
      if (bodyError.type === 'entity.too.large') {
        reject(
          new AppError(413, 'payload_too_large', 'The file is larger than 10 MB: send it in smaller pieces', [
            { path: 'body', message: `At most ${CSV_IMPORT_LIMIT_BYTES} bytes per request` },
          ]),
        );
      } else reject(err instanceof Error ? err : new Error('Could not read the request body'));
    });
  });
  return typeof req.body === 'string' ? req.body : '';
}

export function contactRoutes(contacts: ContactService, imports: ContactImportService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/contacts',
      summary: "The team's contacts, newest first: search, filter by tag and status, with the total count",
      tag: 'contacts',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listContactsQuery,
      // A search reads the team's whole list (through the trigram index); a plain page does not.
      heavy: (query) => Boolean(query.q),
      responses: { 200: { description: 'Contacts', schema: contactsResponse } },
      handler: async ({ membership, query }) => ({ body: await contacts.list(membership, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/contacts',
      summary: 'Add a contact by hand',
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createContactBody,
      responses: {
        201: { description: 'Created', schema: contactResponse },
        409: { description: 'contact_exists (field email)' },
      },
      handler: async ({ membership, body }) => ({
        status: 201,
        body: await contacts.create(membership, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/contacts/tags',
      summary: "The tags used on the team's contacts, with how many contacts carry each",
      tag: 'contacts',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Tags', schema: contactTagsResponse } },
      handler: async ({ membership }) => ({ body: await contacts.tags(membership) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/contacts/import',
      summary:
        'Import contacts from a CSV file (text/csv body, header row naming an email column; at most 10 MB a request)',
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      query: importContactsQuery,
      heavy: true,
      responses: {
        200: { description: 'What the import did, and the rows it skipped', schema: importResultSchema },
        400: { description: 'validation_failed: no email column (field email) or bad tags (query.tags)' },
        413: { description: 'payload_too_large' },
        415: { description: 'unsupported_media_type' },
      },
      handler: async ({ membership, query, req, res }) => {
        const text = await csvBody(req, res);
        return { body: await imports.importCsv(membership, text, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/contacts/{contactId}',
      summary: 'One contact',
      tag: 'contacts',
      auth: true,
      teamRole: 'viewer',
      params: contactParams,
      responses: { 200: { description: 'Contact', schema: contactResponse } },
      handler: async ({ membership, params }) => ({ body: await contacts.get(membership, params.contactId) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/contacts/{contactId}',
      summary: "Change a contact's names or tags, or unsubscribe them",
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: contactParams,
      body: updateContactBody,
      responses: {
        200: { description: 'Updated', schema: contactResponse },
        409: { description: 'contact_not_reactivatable (an unsubscribed or inactive contact set to active)' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await contacts.update(membership, params.contactId, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/contacts/{contactId}',
      summary:
        'Delete an active contact (unsubscribed and inactive ones stay, so they are never emailed again)',
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: contactParams,
      responses: {
        204: { description: 'Deleted' },
        409: { description: 'contact_suppressed' },
      },
      handler: async ({ membership, params }) => {
        await contacts.remove(membership, params.contactId);
        return { status: 204 };
      },
    }),
  ];
}
