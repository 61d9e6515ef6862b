import type { Knex } from 'knex';
import type { ContentLength, ContentType } from '../lib/content/prompts';
import { contactColumns, type ContactRow } from './contacts';
import { findContent, type ContentView } from './content';

/** Queries of the automations' action steps that the existing data modules do not have. */

type Db = Knex | Knex.Transaction;

/** The team's contact with this address (addresses are stored lower-case). */
export function findContactByEmail(db: Db, teamId: string, email: string): Promise<ContactRow | undefined> {
  return db('contacts')
    .where({ team_id: teamId, email: email.trim().toLowerCase() })
    .first<ContactRow | undefined>(contactColumns);
}

/**
 * The content row a generate_content step starts a pipeline for, as the API inserts it (status generating, step
 * brief), under an id derived from the run and step: a retry inserts nothing and gets the same row back.
 * No user created it (created_by null).
 */
export async function insertAutomationContent(
  db: Db,
  c: {
    id: string;
    teamId: string;
    campaignId: string;
    type: ContentType;
    title: string;
    tone: string;
    keywords: string[];
    length: ContentLength;
  },
): Promise<ContentView> {
  await db('content')
    .insert({
      id: c.id,
      team_id: c.teamId,
      campaign_id: c.campaignId,
      type: c.type,
      title: c.title,
      tone: c.tone,
      keywords: c.keywords,
      length: c.length,
      status: 'generating',
      step: 'brief',
      created_by: null,
    })
    .onConflict('id')
    .ignore();
  const row = await findContent(db, c.teamId, c.id);
  if (!row) throw new Error(`content ${c.id} is not the team's after insert`);
  return row;
}
