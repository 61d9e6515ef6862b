import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** What the redirect needs to answer `/r/{slug}`: where to send the visitor and what to record. */
export interface RedirectLink {
  linkId: string;
  teamId: string;
  campaignId: string;
  slug: string;
  source: string;
  /** The campaign's HopLink, whose tid the redirect replaces with the click's own. */
  hoplink: string;
  clickPrefix: string;
  timeZone: string;
}

const redirectColumns = [
  'l.id as linkId',
  'l.team_id as teamId',
  'l.campaign_id as campaignId',
  'l.slug',
  'l.source',
  'c.hoplink',
  'c.click_prefix as clickPrefix',
  't.time_zone as timeZone',
];

/** The link behind a slug (archived links keep working: they are already out in the world). */
export function findRedirectLink(db: Db, slug: string): Promise<RedirectLink | undefined> {
  return db('tracking_links as l')
    .join('campaigns as c', 'c.id', 'l.campaign_id')
    .join('teams as t', 't.id', 'l.team_id')
    .where('l.slug', slug)
    .first<RedirectLink | undefined>(redirectColumns);
}

/** A campaign's tracking link as its owners see and edit it. */
export interface TrackingLinkRow {
  id: string;
  teamId: string;
  campaignId: string;
  slug: string;
  name: string;
  source: string;
  isPrimary: boolean;
  createdAt: Date;
  archivedAt: Date | null;
}

const linkColumns = [
  'id',
  'team_id as teamId',
  'campaign_id as campaignId',
  'slug',
  'name',
  'source',
  'is_primary as isPrimary',
  'created_at as createdAt',
  'archived_at as archivedAt',
];

export const SLUG_UNIQUE_CONSTRAINT = 'tracking_links_slug_unique';

/** A campaign's links, the primary first, then oldest first; archived ones only when asked. */
export function listTrackingLinks(
  db: Db,
  teamId: string,
  campaignId: string,
  opts: { archived?: boolean } = {},
): Promise<TrackingLinkRow[]> {
  const query = db('tracking_links').where({ team_id: teamId, campaign_id: campaignId });
  if (!opts.archived) query.whereNull('archived_at');
  return query
    .orderBy([
      { column: 'is_primary', order: 'desc' },
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .select<TrackingLinkRow[]>(linkColumns);
}

/** Team- and campaign-scoped: another team's (or campaign's) link is not found. */
export function findTrackingLink(
  db: Db,
  teamId: string,
  campaignId: string,
  linkId: string,
): Promise<TrackingLinkRow | undefined> {
  return db('tracking_links')
    .where({ team_id: teamId, campaign_id: campaignId, id: linkId })
    .first<TrackingLinkRow | undefined>(linkColumns);
}

/** Throws a unique violation on SLUG_UNIQUE_CONSTRAINT when the slug is taken (by any team: slugs are global). */
export async function insertTrackingLink(
  db: Db,
  link: { teamId: string; campaignId: string; slug: string; name: string; source: string; createdBy: string },
): Promise<TrackingLinkRow> {
  const rows = await db('tracking_links')
    .insert({
      team_id: link.teamId,
      campaign_id: link.campaignId,
      slug: link.slug,
      name: link.name,
      source: link.source,
      created_by: link.createdBy,
    })
    .returning<TrackingLinkRow[]>(linkColumns);
  const row = rows[0];
  if (!row) throw new Error('tracking link insert returned no row');
  return row;
}

export async function updateTrackingLink(
  db: Db,
  teamId: string,
  campaignId: string,
  linkId: string,
  /** `archived: true` archives (now), `false` restores. */
  patch: { name?: string; source?: string; archived?: boolean },
): Promise<TrackingLinkRow | undefined> {
  const rows = await db('tracking_links')
    .where({ team_id: teamId, campaign_id: campaignId, id: linkId })
    .update({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.source !== undefined ? { source: patch.source } : {}),
      ...(patch.archived === true ? { archived_at: db.fn.now() } : {}),
      ...(patch.archived === false ? { archived_at: null } : {}),
    })
    .returning<TrackingLinkRow[]>(linkColumns);
  return rows[0];
}
