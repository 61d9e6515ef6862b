import express, { type Request, type Response } from 'express';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { defineRoute, type ApiRoute } from '../http/route';
import {
  contactImportJobQuery,
  contactImportJobResponse,
  contactImportJobsResponse,
  contactImportParams,
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

const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** One synchronous import request; the UI sends big files in pieces of ~1000 rows, far below this. */
const CSV_IMPORT_LIMIT_BYTES = 10 * 1024 * 1024;
const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** A reader of text bodies up to `limit` bytes (express.text, any content type: csvBody checks the type). */
const textReader = (limit: number) => express.text({ type: () => true, limit, defaultCharset: 'utf-8' });

/** The request body as text (413 above the limit, 415 for JSON, forms and other non-CSV types). */
async function csvBody(
  req: Request,
  res: Response,
  read: ReturnType<typeof textReader>,
  limit: number,
  tooLarge: string,
): Promise<string> {
  const type = req.headers['content-type'];
  if (type !== undefined && !req.is(CSV_TYPES)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as text/csv', [
      { path: 'content-type', message: `Expected text/csv, got ${type}` },
    ]);
  }
  await new Promise<void>((resolve, reject) => {
    read(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        resolve();
        return;
      }
      const bodyError = err as { type?: string };
      if (bodyError.type === 'entity.too.large') {
        reject(
          new AppError(413, 'payload_too_large', tooLarge, [
            { path: 'body', message: `At most ${limit} bytes per request` },
          ]),
        );
      } else reject(err instanceof Error ? err : new Error('Could not read the request body'));
    });
  });
  return typeof req.body === 'string' ? req.body : '';
}

export function contactRoutes(
  contacts: ContactService,
  imports: ContactImportService,
  config: Pick<Config, 'contacts'>,
): ApiRoute[] {
  const { importMaxRows, importJobMaxBytes } = config.contacts;
  const readSync = textReader(CSV_IMPORT_LIMIT_BYTES);
  const readJob = textReader(importJobMaxBytes);
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
      summary: `Import contacts from a CSV file at once (header row naming an email column; at most ${importMaxRows} data rows and 10 MB a request; bigger files: POST .../contacts/imports)`,
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      query: importContactsQuery,
      csv: 'The CSV file: a header row naming an email column (and optionally first name, last name, name, tags)',
      heavy: true,
      responses: {
        200: { description: 'What the import did, and the rows it skipped', schema: importResultSchema },
        400: { description: 'validation_failed: no email column (field email) or bad tags (query.tags)' },
        413: {
          description: `payload_too_large (more than 10 MB) or too_many_rows (more than ${importMaxRows} data rows, field file: use the import job)`,
        },
        415: { description: 'unsupported_media_type' },
      },
      handler: async ({ membership, query, req, res }) => {
        const text = await csvBody(
          req,
          res,
          readSync,
          CSV_IMPORT_LIMIT_BYTES,
          'The file is larger than 10 MB: send it in smaller pieces, or to the import job (POST .../contacts/imports)',
        );
        return { body: await imports.importCsv(membership, text, query) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/contacts/imports',
      summary: `Start an import job for a big CSV file (up to ${megabytes(importJobMaxBytes)}): stored, then imported in the background piece by piece; poll GET .../contacts/imports/{importId} for progress`,
      tag: 'contacts',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      query: contactImportJobQuery,
      csv: 'The CSV file, as for POST .../contacts/import',
      // Storing up to 50 MB is one big statement: it takes a slot like a synchronous import.
      heavy: true,
      responses: {
        202: {
          description: 'Stored and queued: the import with its status and progress',
          schema: contactImportJobResponse,
        },
        400: { description: 'validation_failed: an empty file (field file) or bad tags (query.tags)' },
        409: {
          description:
            'import_running: the team already has an import queued, reading or importing (the message names it); one runs at a time',
        },
        413: { description: `payload_too_large (more than ${megabytes(importJobMaxBytes)})` },
        415: { description: 'unsupported_media_type' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, auth, query, req, res }) => {
        const text = await csvBody(
          req,
          res,
          readJob,
          importJobMaxBytes,
          `The file is larger than ${megabytes(importJobMaxBytes)}: split it into smaller files`,
        );
        return {
          status: 202,
          body: await imports.startJob(membership, auth.userId, text, query.tags),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/contacts/imports',
      summary: "The team's import jobs, newest first (at most 50), with their status and counts",
      tag: 'contacts',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Import jobs', schema: contactImportJobsResponse } },
      handler: async ({ membership }) => ({ body: await imports.list(membership) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/contacts/imports/{importId}',
      summary:
        'One import job: status, progress (rowsDone of total, pieces), created, updated, unchanged, duplicates, the first 1,000 skipped rows with their lines (skippedCount counts them all), and the error if it failed',
      tag: 'contacts',
      auth: true,
      teamRole: 'viewer',
      params: contactImportParams,
      responses: { 200: { description: 'Import job', schema: contactImportJobResponse } },
      handler: async ({ membership, params }) => ({ body: await imports.get(membership, params.importId) }),
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
