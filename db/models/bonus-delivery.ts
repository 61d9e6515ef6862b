import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { Bonus } from './bonus';
import type { Campaign } from './campaign';

export class BonusDelivery extends Model {
  static override tableName = 'bonus_deliveries';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare bonus_id: string;
  declare campaign_id: string | null;
  declare receipt: string;
  declare item_no: string;
  declare buyer_email: string;
  declare token_hash: string;
  declare expires_at: Date;
  declare revoked_at: Date | null;
  declare revoked_reason: string | null;
  declare download_count: number;
  declare last_downloaded_at: Date | null;
  declare created_at: Date;

  declare team?: Team;
  declare bonus?: Bonus;
  declare campaign?: Campaign | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'bonus_deliveries.team_id', to: 'teams.id' },
    },
    bonus: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'bonus',
      join: { from: 'bonus_deliveries.bonus_id', to: 'bonuses.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'bonus_deliveries.campaign_id', to: 'campaigns.id' },
    },
  });
}
