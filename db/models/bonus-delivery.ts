import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { Bonus } from './bonus';
import { Campaign } from './campaign';

export class BonusDelivery extends Model {
  static override tableName = 'bonus_deliveries';
  static override idColumn = 'id';

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
      modelClass: Team,
      join: { from: 'bonus_deliveries.team_id', to: 'teams.id' },
    },
    bonus: {
      relation: Model.BelongsToOneRelation,
      modelClass: Bonus,
      join: { from: 'bonus_deliveries.bonus_id', to: 'bonuses.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: Campaign,
      join: { from: 'bonus_deliveries.campaign_id', to: 'campaigns.id' },
    },
  });
}
