import type { Knex } from 'knex';

// One bonus handed to one buyer for one ClickBank receipt line: a download token (stored hashed) that a
// refund or chargeback revokes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bonus_deliveries', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('bonus_id').notNullable().references('bonuses.id').onDelete('CASCADE');
    t.uuid('campaign_id').references('campaigns.id').onDelete('SET NULL');
    t.text('receipt').notNullable();
    t.text('item_no').notNullable();
    t.text('buyer_email').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.integer('download_count').notNullable().defaultTo(0);
    t.timestamp('last_downloaded_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // A duplicate SALE notification finds the existing delivery instead of creating a second one.
    t.unique(['receipt', 'item_no', 'bonus_id'], {
      indexName: 'bonus_deliveries_receipt_item_no_bonus_id_unique',
    });
    t.index(['team_id', 'created_at']);
    t.index(['bonus_id']);
    t.index(['campaign_id']);
  });
  await knex.raw(
    'ALTER TABLE bonus_deliveries ADD CONSTRAINT bonus_deliveries_download_count_check CHECK (download_count >= 0)',
  );
  // Support looks deliveries up by the buyer's address.
  await knex.raw(
    'CREATE INDEX bonus_deliveries_buyer_email_lower_idx ON bonus_deliveries (lower(buyer_email))',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bonus_deliveries');
}
