import type { Knex } from 'knex';

// The ClickBank vendor (product nickname) a campaign's hoplink points at. Kept on the campaign itself because a
// campaign may be made for a vendor the catalog does not hold, and outlives the product row (product_id SET NULL).
// Campaign lists are per team, newest first.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('vendor');
    t.index(['team_id', 'created_at'], 'campaigns_team_id_created_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropIndex(['team_id', 'created_at'], 'campaigns_team_id_created_at_idx');
    t.dropColumn('vendor');
  });
}
