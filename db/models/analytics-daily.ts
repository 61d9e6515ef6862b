import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { Campaign } from './campaign';

/** Daily rollup per (team, campaign); campaign_id NULL collects events without a campaign. */
export class AnalyticsDaily extends Model {
  static override tableName = 'analytics_daily';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare campaign_id: string | null;
  declare day: Date | string;
  declare clicks: number;
  declare sales: number;
  declare refunds: number;
  declare revenue: string;
  declare updated_at: Date;

  declare team?: Team;
  declare campaign?: Campaign | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'analytics_daily.team_id', to: 'teams.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'analytics_daily.campaign_id', to: 'campaigns.id' },
    },
  });
}
