import type { Knex } from 'knex';

// Click tracking and earnings analytics (docs/analytics.md).
// - tracking_links: `/r/{slug}` links of a campaign, each with a source label; one primary link per campaign is
//   what the platform's own emails and content use.
// - campaigns.click_prefix: the part of a click's ClickBank tid before the click id (tid = prefix + 8-char id,
//   at most 24 letters and digits in all).
// - analytics_events gains the click's dimensions; a sale copies them from the click it is attributed to.
// - analytics_click_ids: blocks of click ids leased by redirect processes (hi/lo), so a redirect never waits.
// - analytics_salts: one random salt per day for the unique-visitor key (HMAC of salt, address, user agent);
//   old salts are deleted, so yesterday's keys cannot be recomputed.
// - analytics_visitors: who clicked a campaign on a day (the key only), to tell a first click from a repeat.
// - analytics_rollups: daily figures per campaign and dimension, in the team's time zone, kept by adding each
//   event's contribution as it is written (never recomputed); analytics_daily (a per-day recompute) goes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('click_prefix');
  });
  // Campaigns made before: a short tid as it is; a generated one (name_xxxxxx) as its name part without
  // underscores, cut to 10, plus its random 6-character tail; anything else its letters and digits, cut to 16.
  // A clash inside a team gets a numbered tail instead.
  await knex.raw(`
    CREATE FUNCTION campaign_click_prefix(tid text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN tid ~ '^[a-z0-9]{1,16}$' THEN tid
                  WHEN tid ~ '_[a-z0-9]{6}$'
                    THEN left(regexp_replace(left(tid, -7), '[^a-z0-9]', '', 'g'), 10) || right(tid, 6)
                  ELSE coalesce(nullif(left(regexp_replace(tid, '[^a-z0-9]', '', 'g'), 16), ''), 'c')
             END
    $$`);
  await knex.raw('UPDATE campaigns SET click_prefix = campaign_click_prefix(tid)');
  await knex.raw(`
    WITH ranked AS (
      SELECT id, row_number() OVER (PARTITION BY team_id, click_prefix ORDER BY created_at, id) AS n FROM campaigns
    )
    UPDATE campaigns c SET click_prefix = left(c.click_prefix, 11) || lpad(r.n::text, 5, '0')
    FROM ranked r WHERE r.id = c.id AND r.n > 1`);
  await knex.raw(`
    ALTER TABLE campaigns
      ALTER COLUMN click_prefix SET NOT NULL,
      ADD CONSTRAINT campaigns_click_prefix_check CHECK (click_prefix ~ '^[a-z0-9]{1,16}$'),
      ADD CONSTRAINT campaigns_team_id_click_prefix_unique UNIQUE (team_id, click_prefix)`);

  await knex.schema.createTable('tracking_links', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('campaign_id').notNullable();
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    // The source label clicks on this link count under (e.g. youtube, newsletter); `?src=` can override it.
    t.text('source').notNullable();
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('archived_at', { useTz: true });
    t.foreign(['campaign_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('campaigns')
      .onDelete('CASCADE');
    t.index(['team_id', 'campaign_id']);
    t.index(['created_by']);
  });
  await knex.raw(`
    ALTER TABLE tracking_links
      ADD CONSTRAINT tracking_links_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]{2,39}$'),
      ADD CONSTRAINT tracking_links_source_check CHECK (source ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
      ADD CONSTRAINT tracking_links_name_check CHECK (char_length(name) BETWEEN 1 AND 120)`);
  await knex.raw(
    'CREATE UNIQUE INDEX tracking_links_primary_unique ON tracking_links (campaign_id) WHERE is_primary',
  );
  // Every campaign already made gets its primary link.
  await knex.raw(`
    INSERT INTO tracking_links (team_id, campaign_id, slug, name, source, is_primary, created_by, created_at)
    SELECT team_id, id, substr(md5(id::text || random()::text), 1, 10), 'Main link', 'direct', true, created_by,
           created_at
    FROM campaigns`);
  // Whatever inserts a campaign (the API, the demo data, a restore), it gets its click prefix and primary link.
  await knex.raw(`
    CREATE FUNCTION campaigns_click_tracking_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' AND TG_WHEN = 'BEFORE' THEN
        NEW.click_prefix := coalesce(NEW.click_prefix, campaign_click_prefix(NEW.tid));
        RETURN NEW;
      END IF;
      INSERT INTO tracking_links (team_id, campaign_id, slug, name, source, is_primary, created_by)
      VALUES (NEW.team_id, NEW.id, substr(md5(NEW.id::text || random()::text), 1, 10), 'Main link', 'direct', true,
              NEW.created_by);
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER campaigns_click_prefix_default BEFORE INSERT ON campaigns
      FOR EACH ROW EXECUTE FUNCTION campaigns_click_tracking_defaults()`);
  await knex.raw(`
    CREATE TRIGGER campaigns_primary_link AFTER INSERT ON campaigns
      FOR EACH ROW EXECUTE FUNCTION campaigns_click_tracking_defaults()`);

  await knex.raw(`
    ALTER TABLE analytics_events
      ADD COLUMN link_id uuid,
      ADD COLUMN click_id text,
      ADD COLUMN click_at timestamptz,
      ADD COLUMN source text,
      ADD COLUMN sub1 text,
      ADD COLUMN sub2 text,
      ADD COLUMN sub3 text,
      ADD COLUMN referrer_host text,
      ADD COLUMN device text,
      ADD COLUMN browser text,
      ADD COLUMN country text,
      ADD COLUMN visitor_key text,
      ADD COLUMN is_unique boolean,
      ADD COLUMN bot_reason text,
      ADD CONSTRAINT analytics_events_device_check
        CHECK (device IS NULL OR device IN ('desktop','mobile','tablet','other')),
      ADD CONSTRAINT analytics_events_country_check CHECK (country IS NULL OR country ~ '^[A-Z]{2}$')`);
  // A sale finds its click by the id inside its tid.
  await knex.raw(
    'CREATE INDEX analytics_events_team_id_click_id_idx ON analytics_events (team_id, click_id) WHERE click_id IS NOT NULL',
  );

  // Each nextval leases a block of 1,000 click ids [value, value + 1000) to one redirect process.
  await knex.raw('CREATE SEQUENCE analytics_click_ids INCREMENT BY 1000 MINVALUE 1000 START WITH 1000');

  await knex.schema.createTable('analytics_salts', (t) => {
    t.date('day').primary();
    t.binary('salt').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('analytics_visitors', (t) => {
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.date('day').notNullable();
    t.text('visitor_key').notNullable();
    t.primary(['campaign_id', 'day', 'visitor_key']);
    t.index(['day']);
  });

  await knex.schema.createTable('analytics_rollups', (t) => {
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    // NULL: events without a campaign (a sale whose tid matches none).
    t.uuid('campaign_id').references('campaigns.id').onDelete('CASCADE');
    // The day in the team's time zone: of the event (basis 'sale') or of the click a sale came from ('click').
    t.text('basis').notNullable();
    t.date('day').notNullable();
    // 'all' (value '') or one dimension: link, source, sub1, sub2, sub3, device, browser, country, referrer.
    t.text('dimension').notNullable();
    t.text('value').notNullable();
    t.integer('clicks').notNullable().defaultTo(0);
    t.integer('unique_clicks').notNullable().defaultTo(0);
    t.integer('bot_clicks').notNullable().defaultTo(0);
    t.integer('sales').notNullable().defaultTo(0);
    t.integer('rebills').notNullable().defaultTo(0);
    t.integer('refunds').notNullable().defaultTo(0);
    t.integer('chargebacks').notNullable().defaultTo(0);
    // Sales and rebills; refunds and chargebacks (positive). Net = gross - refunded.
    t.decimal('gross', 14, 2).notNullable().defaultTo(0);
    t.decimal('refunded', 14, 2).notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['campaign_id', 'basis', 'dimension', 'day']);
  });
  await knex.raw(`
    ALTER TABLE analytics_rollups
      ADD CONSTRAINT analytics_rollups_key_unique
        UNIQUE NULLS NOT DISTINCT (team_id, campaign_id, basis, dimension, value, day),
      ADD CONSTRAINT analytics_rollups_basis_check CHECK (basis IN ('sale','click')),
      ADD CONSTRAINT analytics_rollups_dimension_check
        CHECK (dimension IN ('all','link','source','sub1','sub2','sub3','device','browser','country','referrer'))`);
  // Team-wide time series and breakdowns read a dimension over a date range.
  await knex.raw(
    'CREATE INDEX analytics_rollups_team_idx ON analytics_rollups (team_id, basis, dimension, day)',
  );

  await knex.schema.dropTableIfExists('analytics_daily');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_daily', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('campaign_id').references('campaigns.id').onDelete('CASCADE');
    t.date('day').notNullable();
    t.integer('clicks').notNullable().defaultTo(0);
    t.integer('sales').notNullable().defaultTo(0);
    t.integer('refunds').notNullable().defaultTo(0);
    t.decimal('revenue', 14, 2).notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['campaign_id', 'day']);
  });
  await knex.raw(`
    ALTER TABLE analytics_daily
      ADD CONSTRAINT analytics_daily_team_id_campaign_id_day_unique UNIQUE NULLS NOT DISTINCT (team_id, campaign_id, day),
      ADD CONSTRAINT analytics_daily_counts_check CHECK (clicks >= 0 AND sales >= 0 AND refunds >= 0)`);
  await knex.raw('CREATE INDEX analytics_daily_team_id_day_idx ON analytics_daily (team_id, day)');
  await knex.schema.dropTableIfExists('analytics_rollups');
  await knex.schema.dropTableIfExists('analytics_visitors');
  await knex.schema.dropTableIfExists('analytics_salts');
  await knex.raw('DROP SEQUENCE IF EXISTS analytics_click_ids');
  await knex.raw('DROP INDEX IF EXISTS analytics_events_team_id_click_id_idx');
  await knex.raw(`
    ALTER TABLE analytics_events
      DROP CONSTRAINT IF EXISTS analytics_events_device_check,
      DROP CONSTRAINT IF EXISTS analytics_events_country_check,
      DROP COLUMN link_id, DROP COLUMN click_id, DROP COLUMN click_at, DROP COLUMN source, DROP COLUMN sub1,
      DROP COLUMN sub2, DROP COLUMN sub3, DROP COLUMN referrer_host, DROP COLUMN device, DROP COLUMN browser,
      DROP COLUMN country, DROP COLUMN visitor_key, DROP COLUMN is_unique, DROP COLUMN bot_reason`);
  await knex.raw('DROP TRIGGER IF EXISTS campaigns_primary_link ON campaigns');
  await knex.raw('DROP TRIGGER IF EXISTS campaigns_click_prefix_default ON campaigns');
  await knex.raw('DROP FUNCTION IF EXISTS campaigns_click_tracking_defaults()');
  await knex.schema.dropTableIfExists('tracking_links');
  await knex.raw('DROP FUNCTION IF EXISTS campaign_click_prefix(text)');
  await knex.raw(`
    ALTER TABLE campaigns
      DROP CONSTRAINT IF EXISTS campaigns_team_id_click_prefix_unique,
      DROP CONSTRAINT IF EXISTS campaigns_click_prefix_check,
      DROP COLUMN click_prefix`);
}
