import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { Campaign } from './campaign';

export type AnalyticsEventType = 'click' | 'sale' | 'rebill' | 'refund' | 'chargeback';

/** Row of the month-partitioned analytics_events table; the key includes the partition column. */
export class AnalyticsEvent extends Model {
  static override tableName = 'analytics_events';
  static override idColumn = ['id', 'occurred_at'];
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare campaign_id: string | null;
  declare type: AnalyticsEventType;
  declare occurred_at: Date;
  declare amount: string | null;
  declare currency: string | null;
  declare tid: string | null;
  declare receipt: string | null;
  declare metadata: Record<string, unknown>;
  declare created_at: Date;

  declare team?: Team;
  declare campaign?: Campaign | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'analytics_events.team_id', to: 'teams.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'analytics_events.campaign_id', to: 'campaigns.id' },
    },
  });
}
