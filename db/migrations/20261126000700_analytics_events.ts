import type { Knex } from 'knex';

// Raw clicks and ClickBank transactions, declaratively partitioned by month (UTC) so old months can be
// detached or dropped cheaply and queries on a date range touch only their partitions.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_events (
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
      campaign_id uuid REFERENCES campaigns (id) ON DELETE SET NULL,
      type text NOT NULL CONSTRAINT analytics_events_type_check
        CHECK (type IN ('click','sale','rebill','refund','chargeback')),
      occurred_at timestamptz NOT NULL,
      amount numeric(12,2),
      currency text CONSTRAINT analytics_events_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
      tid text,
      receipt text,
      metadata jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      -- A primary key on a partitioned table must include the partition key.
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
  await knex.raw(
    'CREATE INDEX analytics_events_team_id_occurred_at_idx ON analytics_events (team_id, occurred_at)',
  );
  await knex.raw(
    'CREATE INDEX analytics_events_campaign_id_occurred_at_idx ON analytics_events (campaign_id, occurred_at)',
  );
  // Refunds and chargebacks are matched to their sale by receipt.
  await knex.raw(
    'CREATE INDEX analytics_events_receipt_idx ON analytics_events (receipt) WHERE receipt IS NOT NULL',
  );
  // Catches rows outside every monthly partition, so an insert never fails for a missing month.
  await knex.raw('CREATE TABLE analytics_events_default PARTITION OF analytics_events DEFAULT');

  // Creates the monthly partitions [from_month, from_month + months) that do not exist yet and returns how
  // many it created. Rows already sitting in the default partition for such a month are moved into it,
  // because PostgreSQL refuses a new partition whose range the default partition already holds rows for.
  // Meant to be called again by a schedule (e.g. monthly) to keep a year of partitions ahead.
  await knex.raw(`
    CREATE FUNCTION ensure_analytics_partitions(from_month date, months integer) RETURNS integer
    LANGUAGE plpgsql AS $$
    DECLARE
      first_month date := date_trunc('month', from_month)::date;
      part_start date;
      part_end date;
      part_name text;
      lower_bound text;
      upper_bound text;
      created integer := 0;
    BEGIN
      FOR i IN 0 .. months - 1 LOOP
        part_start := (first_month + make_interval(months => i))::date;
        part_end := (part_start + interval '1 month')::date;
        part_name := 'analytics_events_' || to_char(part_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(part_name) IS NOT NULL;
        -- Month boundaries in UTC, whatever the session time zone.
        lower_bound := part_start::text || ' 00:00:00+00';
        upper_bound := part_end::text || ' 00:00:00+00';
        IF EXISTS (SELECT 1 FROM analytics_events_default
                   WHERE occurred_at >= lower_bound::timestamptz AND occurred_at < upper_bound::timestamptz) THEN
          EXECUTE format('CREATE TABLE %I (LIKE analytics_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
          EXECUTE format(
            'WITH moved AS (DELETE FROM analytics_events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
             INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, part_name);
          EXECUTE format('ALTER TABLE analytics_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                         part_name, lower_bound, upper_bound);
        ELSE
          EXECUTE format('CREATE TABLE %I PARTITION OF analytics_events FOR VALUES FROM (%L) TO (%L)',
                         part_name, lower_bound, upper_bound);
        END IF;
        created := created + 1;
      END LOOP;
      RETURN created;
    END
    $$`);
  // The current month and the next twelve.
  await knex.raw("SELECT ensure_analytics_partitions((now() AT TIME ZONE 'UTC')::date, 13)");
}

export async function down(knex: Knex): Promise<void> {
  // Dropping the partitioned parent drops every partition with it.
  await knex.raw('DROP TABLE IF EXISTS analytics_events');
  await knex.raw('DROP FUNCTION IF EXISTS ensure_analytics_partitions(date, integer)');
}
