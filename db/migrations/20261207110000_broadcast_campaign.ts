import type { Knex } from 'knex';

// A broadcast may be sent for a campaign: its `{{ hoplink }}` then becomes the campaign's tracking link with the
// source `broadcast` (docs/campaigns.md), so its clicks and sales are counted. The composite key keeps the
// campaign inside the broadcast's team; deleting the campaign leaves sent broadcasts (their history) in place.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('broadcasts', (t) => {
    t.uuid('campaign_id');
    t.index(['campaign_id']);
  });
  await knex.raw(`
    ALTER TABLE broadcasts
      ADD CONSTRAINT broadcasts_campaign_id_team_id_foreign FOREIGN KEY (campaign_id, team_id)
        REFERENCES campaigns (id, team_id) ON DELETE SET NULL (campaign_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE broadcasts DROP CONSTRAINT IF EXISTS broadcasts_campaign_id_team_id_foreign');
  await knex.schema.alterTable('broadcasts', (t) => {
    t.dropIndex(['campaign_id']);
    t.dropColumn('campaign_id');
  });
}
