/**
 * Click tracking and earnings analytics: the one module the rest of the platform goes through for raw events
 * (analytics_events), their daily rollups (analytics_rollups), unique-visitor salts and click ids.
 * See docs/analytics.md.
 */
export { writeClicks, type ClickRecord } from './clicks';
export {
  BASES,
  DEVICES,
  DIMENSIONS,
  type Basis,
  type ClickDimensions,
  type Device,
  type Dimension,
} from './dimensions';
export { attributeTid, recordClickbankEvent, type ClickbankEvent } from './sales';
export { forgetVisitorsBefore, leaseClickIds, saltsFor } from './visitors';
export {
  analyticsBreakdown,
  analyticsTimeSeries,
  daysBetween,
  figuresOf,
  findTeamLinkCampaign,
  type AnalyticsScope,
  type BreakdownBy,
  type Figures,
} from './queries';
export {
  dropEventPartitionsBefore,
  ensureEventPartitions,
  listEventPartitions,
  monthStart,
} from './partitions';
