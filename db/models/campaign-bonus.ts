import { Model, type RelationMappingsThunk } from 'objection';
import type { Campaign } from './campaign';
import type { Bonus } from './bonus';

/** Join row; its team_id must match both sides (composite foreign keys). */
export class CampaignBonus extends Model {
  static override tableName = 'campaign_bonuses';
  static override idColumn = ['campaign_id', 'bonus_id'];
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare campaign_id: string;
  declare bonus_id: string;
  declare team_id: string;
  declare created_at: Date;

  declare campaign?: Campaign;
  declare bonus?: Bonus;

  static override relationMappings: RelationMappingsThunk = () => ({
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'campaign_bonuses.campaign_id', to: 'campaigns.id' },
    },
    bonus: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'bonus',
      join: { from: 'campaign_bonuses.bonus_id', to: 'bonuses.id' },
    },
  });
}
