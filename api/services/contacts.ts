import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  addedTags,
  contactCreatedPayload,
  contactTaggedPayload,
  type ContactFacts,
} from '../../lib/automations/platform-events';
import type { Logger } from '../../lib/logger';
import { AppError, badRequest, conflict } from '../../lib/errors';
import {
  CONTACT_EMAIL_UNIQUE_INDEX,
  contactTagCounts,
  countContacts,
  deleteContact,
  insertContact,
  listContacts,
  updateContactFields,
  type ContactCursor,
} from '../../data/contact-list';
import {
  findContact,
  lockContactStatus,
  setContactStatus,
  type ContactRow,
  type ContactStatus,
} from '../../data/contacts';
import { inTransaction } from '../../data/transaction';
import { isUniqueViolation } from '../../data/pg-errors';
import type { TeamMembership } from '../http/locals';
import type { ListContactsQuery } from '../schemas/contacts';
import { createSequenceRunner } from '../../temporal/sequence-runs';
import { firePlatformEvent } from '../../temporal/automation-events';

const contactNotFound = () => new AppError(404, 'contact_not_found', 'Contact not found');

function encodeContactCursor(c: ContactCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

/** null when the text is not a cursor this API handed out. */
function decodeContactCursor(cursor: string): ContactCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string') return null;
    if (!TIMESTAMP_RE.test(createdAt) || !UUID_RE.test(id)) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

export interface CreateContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  tags?: string[];
}

export interface UpdateContactInput {
  firstName?: string | null;
  lastName?: string | null;
  tags?: string[];
  status?: ContactStatus;
}

export type ContactService = ReturnType<typeof createContactService>;

export function createContactService(deps: {
  db: Knex;
  temporal: { client: Client } | null;
  logger?: Logger;
}) {
  const { db } = deps;
  const runner = createSequenceRunner({ db, temporal: deps.temporal?.client ?? null });

  /**
   * Platform events for automations, raised after the change is committed and not awaited: the answer never
   * waits for Temporal, and an event that cannot be raised is logged (temporal/automation-events.ts).
   */
  function raise(teamId: string, type: string, id: string, payload: unknown): void {
    void firePlatformEvent(deps.temporal?.client, { teamId, type, id, payload }, (message, details) =>
      deps.logger?.warn(details, message),
    );
  }
  function raiseTagged(teamId: string, contact: ContactFacts, tags: string[]): void {
    if (tags.length === 0) return;
    // Each request is its own tagging: a tag removed and added again is tagged again.
    raise(
      teamId,
      'contact.tagged',
      `${contact.id}:${randomUUID()}`,
      contactTaggedPayload(contact, tags, 'api'),
    );
  }

  async function get(m: TeamMembership, contactId: string): Promise<ContactRow> {
    const contact = await findContact(db, m.teamId, contactId);
    if (!contact) throw contactNotFound();
    return contact;
  }

  return {
    async list(m: TeamMembership, query: ListContactsQuery) {
      const after = query.cursor ? decodeContactCursor(query.cursor) : undefined;
      if (after === null) {
        throw badRequest('The request is not valid', [
          { path: 'query.cursor', message: 'Not a cursor of this listing' },
        ]);
      }
      const filter = { q: query.q || undefined, tag: query.tag, status: query.status };
      const [page, count] = await Promise.all([
        listContacts(db, m.teamId, { ...filter, limit: query.limit, after }),
        countContacts(db, m.teamId, filter),
      ]);
      return {
        contacts: page.contacts,
        total: count.total,
        totalCapped: count.capped,
        nextCursor: page.next ? encodeContactCursor(page.next) : null,
      };
    },

    tags: async (m: TeamMembership) => ({ tags: await contactTagCounts(db, m.teamId) }),

    get: async (m: TeamMembership, contactId: string) => ({ contact: await get(m, contactId) }),

    async create(m: TeamMembership, input: CreateContactInput) {
      try {
        const contact = await insertContact(db, {
          teamId: m.teamId,
          email: input.email,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
          tags: [...(input.tags ?? [])].sort(),
          source: 'manual',
        });
        raise(m.teamId, 'contact.created', contact.id, contactCreatedPayload(contact, 'api'));
        raiseTagged(m.teamId, contact, contact.tags);
        return { contact };
      } catch (err) {
        if (!isUniqueViolation(err, CONTACT_EMAIL_UNIQUE_INDEX)) throw err;
        throw conflict('This address is already a contact of the team', 'contact_exists', [
          { path: 'email', message: `${input.email} is already in your contacts` },
        ]);
      }
    },

    async update(m: TeamMembership, contactId: string, input: UpdateContactInput) {
      const result = await inTransaction(db, async (trx) => {
        const currentStatus = await lockContactStatus(trx, m.teamId, contactId);
        if (!currentStatus) throw contactNotFound();
        const tagsBefore = input.tags ? (await findContact(trx, m.teamId, contactId))?.tags : undefined;
        if (input.status === 'active' && currentStatus !== 'active') {
          // Consent is the reader's to give: only their own opt-in may put them back on the list.
          throw conflict(
            currentStatus === 'unsubscribed'
              ? 'This contact unsubscribed. Only the reader can opt in again, for example through a signup form.'
              : 'Email to this contact was refused (bounce or spam complaint), so it stays inactive.',
            'contact_not_reactivatable',
            [{ path: 'status', message: `The contact is ${currentStatus} and cannot be made active here` }],
          );
        }
        await updateContactFields(trx, m.teamId, contactId, {
          firstName: input.firstName,
          lastName: input.lastName,
          tags: input.tags ? [...input.tags].sort() : undefined,
        });
        if (input.status === 'unsubscribed' && currentStatus === 'active') {
          await setContactStatus(trx, {
            teamId: m.teamId,
            contactId,
            status: 'unsubscribed',
            reason: 'Unsubscribed by a team member',
          });
        }
        const contact = await findContact(trx, m.teamId, contactId);
        if (!contact) throw contactNotFound();
        return {
          contact,
          unsubscribed: currentStatus === 'active' && contact.status === 'unsubscribed',
          tagsAdded: tagsBefore ? addedTags(tagsBefore, contact.tags) : [],
        };
      });
      raiseTagged(m.teamId, result.contact, result.tagsAdded);
      // After the commit, like the unsubscribe link: the runs see the contact unsubscribed when they stop.
      if (result.unsubscribed) {
        await runner.stopContactSequences({
          teamId: m.teamId,
          contactId,
          reason: 'Unsubscribed by a team member',
        });
      }
      return { contact: result.contact };
    },

    async remove(m: TeamMembership, contactId: string): Promise<void> {
      const contact = await get(m, contactId);
      if (contact.status !== 'active') {
        // Deleting would forget the opt-out: a later import or sale could add and email the reader again.
        throw conflict(
          `This contact is ${contact.status}. It stays on the list so that no import or sale can email them again.`,
          'contact_suppressed',
          [{ path: 'contactId', message: `The contact is ${contact.status}` }],
        );
      }
      // Its run rows go with it (cascade): stop the workflows first so none sends to a deleted contact.
      await runner.stopContactSequences({ teamId: m.teamId, contactId, reason: 'The contact was deleted' });
      if (!(await deleteContact(db, m.teamId, contactId))) throw contactNotFound();
    },
  };
}
