import type { Knex } from 'knex';

// The ClickBank marketplace catalog. Shared by every team (not tenant-owned); filled by the catalog sync.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // The marketplace "Id" (vendor site nickname); the natural key the sync upserts on.
    t.text('clickbank_id').notNullable().unique();
    t.text('title').notNullable();
    t.text('description');
    // Marketplace category path from root to leaf, e.g. {"Health & Fitness","Diets & Weight Loss"}.
    t.specificType('category_path', 'text[]').notNullable().defaultTo('{}');
    t.decimal('gravity', 10, 2).notNullable().defaultTo(0);
    // Percent of the sale paid to the affiliate.
    t.decimal('commission_rate', 5, 2);
    t.decimal('avg_earnings_per_sale', 12, 2);
    t.decimal('initial_earnings_per_sale', 12, 2);
    t.boolean('has_recurring').notNullable().defaultTo(false);
    t.decimal('avg_rebill_total', 12, 2);
    t.decimal('pct_per_sale_from_rebill', 5, 2);
    t.integer('popularity_rank');
    t.date('activate_date');
    // The feed row as received, so new marketplace fields are never lost between schema changes.
    t.jsonb('raw').notNullable().defaultTo('{}');
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE products
      ADD CONSTRAINT products_gravity_check CHECK (gravity >= 0),
      ADD CONSTRAINT products_commission_rate_check CHECK (commission_rate IS NULL OR commission_rate BETWEEN 0 AND 100),
      ADD CONSTRAINT products_pct_per_sale_from_rebill_check
        CHECK (pct_per_sale_from_rebill IS NULL OR pct_per_sale_from_rebill BETWEEN 0 AND 100),
      ADD CONSTRAINT products_popularity_rank_check CHECK (popularity_rank IS NULL OR popularity_rank > 0)`);
  // Browsing sorts by gravity or rank and filters by category.
  await knex.raw('CREATE INDEX products_gravity_idx ON products (gravity DESC)');
  await knex.raw('CREATE INDEX products_popularity_rank_idx ON products (popularity_rank)');
  await knex.raw('CREATE INDEX products_category_path_idx ON products USING gin (category_path)');
  await knex.raw('CREATE INDEX products_synced_at_idx ON products (synced_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('products');
}
