import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { User } from './user';
import { Campaign } from './campaign';
import { BonusDelivery } from './bonus-delivery';

/** Exactly one of url and file_path is set (CHECK constraint). */
export class Bonus extends Model {
  static override tableName = 'bonuses';
  static override idColumn = 'id';

  declare id: string;
  declare team_id: string;
  declare name: string;
  declare description: string | null;
  declare url: string | null;
  declare file_path: string | null;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare creator?: User | null;
  declare campaigns?: Campaign[];
  declare deliveries?: BonusDelivery[];

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: Team,
      join: { from: 'bonuses.team_id', to: 'teams.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'bonuses.created_by', to: 'users.id' },
    },
    campaigns: {
      relation: Model.ManyToManyRelation,
      modelClass: Campaign,
      join: {
        from: 'bonuses.id',
        through: { from: 'campaign_bonuses.bonus_id', to: 'campaign_bonuses.campaign_id' },
        to: 'campaigns.id',
      },
    },
    deliveries: {
      relation: Model.HasManyRelation,
      modelClass: BonusDelivery,
      join: { from: 'bonuses.id', to: 'bonus_deliveries.bonus_id' },
    },
  });
}
