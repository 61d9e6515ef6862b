import type { Knex } from 'knex';

// Bonus delivery: uploaded files keep their name and type; each sale line gets one outcome row; a team can map a
// ClickBank vendor (and item) to a campaign for sales without a known tid; refunds and chargebacks are kept per
// receipt so one that arrives before its sale still blocks the delivery.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bonuses', (t) => {
    // The uploaded file as the user sent it (file_path is where it lives under the bonus files folder).
    t.text('file_name');
    t.text('content_type');
    t.bigInteger('file_size');
  });

  await knex.schema.alterTable('bonus_deliveries', (t) => {
    t.uuid('contact_id').references('contacts.id').onDelete('SET NULL');
    t.index(['contact_id']);
    t.index(['team_id', 'receipt']);
  });

  // One row per sale line handled by the bonus delivery workflow: what happened to it.
  await knex.schema.createTable('bonus_orders', (t) => {
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('receipt').notNullable();
    t.text('item_no').notNullable();
    // delivered | blocked (a refund or chargeback came first)
    t.text('status').notNullable();
    t.text('reason');
    t.uuid('campaign_id').references('campaigns.id').onDelete('SET NULL');
    t.text('buyer_email').notNullable();
    t.uuid('contact_id').references('contacts.id').onDelete('SET NULL');
    t.text('transaction_type').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['team_id', 'receipt', 'item_no']);
    t.index(['campaign_id']);
    t.index(['contact_id']);
  });
  await knex.raw(
    "ALTER TABLE bonus_orders ADD CONSTRAINT bonus_orders_status_check CHECK (status IN ('delivered','blocked'))",
  );

  await knex.schema.createTable('campaign_bonus_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('campaign_id').notNullable();
    // ClickBank vendor nickname (lower case) and, optionally, the vendor's item number.
    t.text('vendor').notNullable();
    t.text('item_no');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['campaign_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('campaigns')
      .onDelete('CASCADE');
    t.index(['campaign_id']);
  });
  await knex.raw(`
    ALTER TABLE campaign_bonus_rules
      ADD CONSTRAINT campaign_bonus_rules_vendor_check CHECK (vendor = lower(vendor) AND vendor <> ''),
      ADD CONSTRAINT campaign_bonus_rules_item_no_check CHECK (item_no IS NULL OR item_no <> '')`);
  // One campaign per vendor (and item) in a team: a sale must not match two.
  await knex.raw(
    "CREATE UNIQUE INDEX campaign_bonus_rules_team_vendor_item_unique ON campaign_bonus_rules (team_id, vendor, coalesce(item_no, ''))",
  );

  await knex.schema.createTable('clickbank_revocations', (t) => {
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('receipt').notNullable();
    // refund | chargeback (the first one that arrived)
    t.text('reason').notNullable();
    t.text('transaction_type').notNullable();
    t.uuid('webhook_event_id').references('webhook_events.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['team_id', 'receipt']);
  });
  await knex.raw(
    "ALTER TABLE clickbank_revocations ADD CONSTRAINT clickbank_revocations_reason_check CHECK (reason IN ('refund','chargeback'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('clickbank_revocations');
  await knex.schema.dropTableIfExists('campaign_bonus_rules');
  await knex.schema.dropTableIfExists('bonus_orders');
  await knex.schema.alterTable('bonus_deliveries', (t) => {
    t.dropIndex(['team_id', 'receipt']);
    t.dropColumn('contact_id');
  });
  await knex.schema.alterTable('bonuses', (t) => {
    t.dropColumn('file_name');
    t.dropColumn('content_type');
    t.dropColumn('file_size');
  });
}
