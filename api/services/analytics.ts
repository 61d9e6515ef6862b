import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  analyticsBreakdown,
  analyticsTimeSeries,
  findTeamLinkCampaign,
  type AnalyticsScope,
} from '../../data/analytics';
import { findCampaign } from '../../data/campaigns';
import { findTeamTimeZone } from '../../data/teams';
import { AppError, badRequest } from '../../lib/errors';
import { localDay, usableZone } from '../../lib/time-zones';
import type { TeamMembership } from '../http/locals';
import type { z } from '../schemas/zod';
import type {
  breakdownQuery,
  BreakdownResponse,
  timeSeriesQuery,
  TimeSeriesResponse,
} from '../schemas/analytics';

type SeriesQuery = z.output<typeof timeSeriesQuery>;
type BreakdownQuery = z.output<typeof breakdownQuery>;

/** The longest range one read may cover (a leap year). */
const MAX_RANGE_DAYS = 366;
/** Without `from`: the 30 days ending at `to`. */
const DEFAULT_RANGE_DAYS = 30;

const notFound = (what: 'campaign' | 'link') =>
  new AppError(
    404,
    `${what}_not_found`,
    what === 'campaign' ? 'Campaign not found' : 'Tracking link not found',
  );

export interface AnalyticsServiceDeps {
  db: Knex;
  /** The clock, for "today" in the team's time zone (tests pass a fixed one). */
  now?: () => Date;
}

export function createAnalyticsService({ db, now = () => new Date() }: AnalyticsServiceDeps) {
  /**
   * The range in the team's time zone: `to` defaults to the team's today, `from` to 29 days before `to`. A range
   * that ends before it starts or spans more than MAX_RANGE_DAYS is a 400 naming the field at fault.
   */
  async function scopeOf(
    m: TeamMembership,
    q: { from?: string; to?: string; basis: 'sale' | 'click'; campaignId?: string },
  ): Promise<AnalyticsScope & { timeZone: string }> {
    const timeZone = usableZone(await findTeamTimeZone(db, m.teamId));
    const to = q.to ?? localDay(now(), timeZone);
    const from =
      q.from ??
      DateTime.fromISO(to, { zone: 'UTC' })
        .minus({ days: DEFAULT_RANGE_DAYS - 1 })
        .toISODate()!;
    if (from > to) {
      throw badRequest('The range ends before it starts', [
        { path: 'query.from', message: `Pick a first day on or before ${to}` },
      ]);
    }
    const span =
      DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days + 1;
    if (span > MAX_RANGE_DAYS) {
      throw badRequest(`A range covers at most ${MAX_RANGE_DAYS} days`, [
        { path: 'query.from', message: `This range covers ${span} days; pick a later first day` },
      ]);
    }
    if (q.campaignId && !(await findCampaign(db, m.teamId, q.campaignId))) throw notFound('campaign');
    return { teamId: m.teamId, timeZone, from, to, basis: q.basis, campaignId: q.campaignId };
  }

  return {
    async timeSeries(m: TeamMembership, q: SeriesQuery): Promise<TimeSeriesResponse> {
      if (q.dimension !== undefined && q.value === undefined) {
        throw badRequest('Say which value of the dimension', [
          { path: 'query.value', message: "Required with dimension ('' for not known)" },
        ]);
      }
      if (q.value !== undefined && q.dimension === undefined) {
        throw badRequest('Say which dimension the value is of', [
          { path: 'query.dimension', message: 'Required with value' },
        ]);
      }
      if (q.linkId && q.dimension) {
        throw badRequest('A link and a dimension cannot be combined', [
          { path: 'query.dimension', message: 'Leave it out with linkId' },
        ]);
      }
      const scope = await scopeOf(m, q);
      if (q.linkId) {
        const link = await findTeamLinkCampaign(db, m.teamId, q.linkId);
        if (!link || (q.campaignId && link.campaignId !== q.campaignId)) throw notFound('link');
      }
      const series = await analyticsTimeSeries(db, {
        ...scope,
        linkId: q.linkId,
        dimension: q.dimension,
        value: q.value,
      });
      return { timeZone: scope.timeZone, from: scope.from, to: scope.to, basis: scope.basis, ...series };
    },

    async breakdown(m: TeamMembership, q: BreakdownQuery): Promise<BreakdownResponse> {
      const scope = await scopeOf(m, q);
      const rows = await analyticsBreakdown(db, scope, q.dimension, q.limit);
      return {
        timeZone: scope.timeZone,
        from: scope.from,
        to: scope.to,
        basis: scope.basis,
        dimension: q.dimension,
        rows,
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
