import type { Knex } from 'knex';
import {
  dropEventPartitionsBefore,
  ensureEventPartitions,
  forgetVisitorsBefore,
  monthStart,
} from '../data/analytics';
import type { Config } from '../lib/config';

export interface AnalyticsMaintenanceActivityDeps {
  db: Knex;
  config: Pick<Config, 'analyticsRetention'>;
}

/** Days of salts and first visits kept: today and yesterday UTC, and the day before for zones behind UTC. */
const VISITOR_DAYS_KEPT = 2;

/** knex-pglite (the embedded default) answers a delete with its result object where pg gives the count. */
const deletedCount = (result: unknown): number =>
  typeof result === 'number' ? result : Number((result as { rowCount?: number } | null)?.rowCount ?? 0);

export function createAnalyticsMaintenanceActivities({ db, config }: AnalyticsMaintenanceActivityDeps) {
  return {
    /** Monthly partitions from the month of `now` on, a year ahead, so no event lands in the default one. */
    async ensureAnalyticsPartitions(input: { now: string }): Promise<{ created: number }> {
      return { created: await ensureEventPartitions(db, monthStart(new Date(input.now))) };
    },

    /** Drops the raw events of months past the retention (ANALYTICS_RETENTION_MONTHS); rollups stay. */
    async dropExpiredAnalyticsPartitions(input: {
      now: string;
    }): Promise<{ dropped: string[]; defaultRowsDeleted: number; retainedFrom: string }> {
      const retainedFrom = monthStart(new Date(input.now), config.analyticsRetention.months);
      return { ...(await dropEventPartitionsBefore(db, retainedFrom)), retainedFrom };
    },

    /**
     * Deletes the salts and first-visit rows of days before the day before yesterday (UTC): with the salt gone
     * nobody can link an old visitor key to an address again, and the rows only decide same-day uniques.
     */
    async forgetOldVisitors(input: {
      now: string;
    }): Promise<{ salts: number; visitors: number; before: string }> {
      const now = new Date(input.now);
      const before = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - VISITOR_DAYS_KEPT),
      )
        .toISOString()
        .slice(0, 10);
      const forgotten = await forgetVisitorsBefore(db, before);
      return { salts: deletedCount(forgotten.salts), visitors: deletedCount(forgotten.visitors), before };
    },
  };
}

export type AnalyticsMaintenanceActivities = ReturnType<typeof createAnalyticsMaintenanceActivities>;
