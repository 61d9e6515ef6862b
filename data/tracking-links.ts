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
