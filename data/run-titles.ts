import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** The names run titles use, for the given ids and only within one team (other teams' rows never match). */
export async function findRunTitleNames(
  db: Db,
  teamId: string,
  ids: {
    content: string[];
    sequences: string[];
    contacts: string[];
    broadcasts: string[];
    automations: string[];
  },
) {
  const uuids = (list: string[]) =>
    [...new Set(list)].filter((id) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
    );
  const none = Promise.resolve([]);
  const content = uuids(ids.content);
  const sequences = uuids(ids.sequences);
  const contacts = uuids(ids.contacts);
  const broadcasts = uuids(ids.broadcasts);
  const automations = uuids(ids.automations);
  const [contentRows, sequenceRows, contactRows, broadcastRows, automationRows] = await Promise.all([
    content.length
      ? db('content as c')
          .leftJoin('campaigns as k', function joinCampaign() {
            this.on('k.id', '=', 'c.campaign_id').andOn('k.team_id', '=', 'c.team_id');
          })
          .where('c.team_id', teamId)
          .whereIn('c.id', content)
          .select<{ id: string; type: string; title: string; status: string; campaignName: string | null }[]>(
            'c.id',
            'c.type',
            'c.title',
            'c.status',
            'k.name as campaignName',
          )
      : none,
    sequences.length
      ? db('email_sequences')
          .where({ team_id: teamId })
          .whereIn('id', sequences)
          .select<{ id: string; name: string }[]>('id', 'name')
      : none,
    contacts.length
      ? db('contacts')
          .where({ team_id: teamId })
          .whereIn('id', contacts)
          .select<{ id: string; email: string }[]>('id', 'email')
      : none,
    broadcasts.length
      ? db('broadcasts')
          .where({ team_id: teamId })
          .whereIn('id', broadcasts)
          .select<{ id: string; name: string }[]>('id', 'name')
      : none,
    automations.length
      ? db('workflows')
          .where({ team_id: teamId })
          .whereIn('id', automations)
          .select<{ id: string; name: string }[]>('id', 'name')
      : none,
  ]);
  return { contentRows, sequenceRows, contactRows, broadcastRows, automationRows };
}
