import type { Knex } from 'knex';

// What the catalog sync and the products API need on top of the products table: when a product left the
// feed, a stored full-text vector (title + description) with its GIN index, keyset indexes for each sort
// (sort value + id as tiebreak), a daily gravity history and a record of every sync run.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE products
      ADD COLUMN left_feed_at timestamptz,
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
        (to_tsvector('english', title || ' ' || coalesce(description, ''))) STORED`);
  await knex.raw('CREATE INDEX products_search_vector_idx ON products USING gin (search_vector)');
  // One btree per sort; scanned forwards or backwards for asc/desc. Nullable sort columns are keyed on
  // coalesce(..., 0) so keyset comparisons never meet a NULL.
  await knex.raw('CREATE INDEX products_gravity_id_idx ON products (gravity, id)');
  await knex.raw(
    'CREATE INDEX products_avg_earnings_id_idx ON products ((coalesce(avg_earnings_per_sale, 0)), id)',
  );
  await knex.raw('CREATE INDEX products_commission_id_idx ON products ((coalesce(commission_rate, 0)), id)');
  await knex.raw('CREATE INDEX products_title_id_idx ON products (title, id)');
  await knex.raw('CREATE INDEX products_top_category_idx ON products ((category_path[1]))');
  await knex.raw('DROP INDEX IF EXISTS products_gravity_idx');

  await knex.schema.createTable('product_gravity_daily', (t) => {
    t.uuid('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.date('day').notNullable();
    t.decimal('gravity', 10, 2).notNullable();
    t.primary(['product_id', 'day']);
  });

  await knex.schema.createTable('catalog_syncs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('workflow_id').notNullable();
    t.text('run_id').notNullable();
    t.text('trigger_source').notNullable().defaultTo('manual');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.text('status').notNullable().defaultTo('running');
    t.integer('sites').notNullable().defaultTo(0);
    t.integer('upserted').notNullable().defaultTo(0);
    t.integer('categories').notNullable().defaultTo(0);
    t.integer('left_count').notNullable().defaultTo(0);
    t.text('error');
    // A retried activity attempt finds its run's row instead of adding another.
    t.unique(['workflow_id', 'run_id'], { indexName: 'catalog_syncs_run_unique' });
  });
  await knex.raw(`
    ALTER TABLE catalog_syncs
      ADD CONSTRAINT catalog_syncs_status_check CHECK (status IN ('running', 'completed', 'failed'))`);
  await knex.raw('CREATE INDEX catalog_syncs_finished_idx ON catalog_syncs (status, finished_at DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('catalog_syncs');
  await knex.schema.dropTableIfExists('product_gravity_daily');
  await knex.raw('DROP INDEX IF EXISTS products_top_category_idx');
  await knex.raw('DROP INDEX IF EXISTS products_title_id_idx');
  await knex.raw('DROP INDEX IF EXISTS products_commission_id_idx');
  await knex.raw('DROP INDEX IF EXISTS products_avg_earnings_id_idx');
  await knex.raw('DROP INDEX IF EXISTS products_gravity_id_idx');
  await knex.raw('CREATE INDEX IF NOT EXISTS products_gravity_idx ON products (gravity DESC)');
  await knex.raw(
    'ALTER TABLE products DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS left_feed_at',
  );
}
