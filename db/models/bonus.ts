import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { User } from './user';
import type { Campaign } from './campaign';

/** Exactly one of url and file_path is set (CHECK constraint). */
export class Bonus extends Model {
  static override tableName = 'bonuses';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare name: string;
  declare description: string | null;
  declare url: string | null;
  declare file_path: string | null;
  declare file_name: string | null;
  declare content_type: string | null;
  declare file_size: string | number | null;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare creator?: User | null;
  declare campaigns?: Campaign[];

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'bonuses.team_id', to: 'teams.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'bonuses.created_by', to: 'users.id' },
    },
    campaigns: {
      relation: Model.ManyToManyRelation,
      modelClass: 'campaign',
      join: {
        from: 'bonuses.id',
        through: { from: 'campaign_bonuses.bonus_id', to: 'campaign_bonuses.campaign_id' },
        to: 'campaigns.id',
      },
    },
  });
}
