import { Model, type RelationMappingsThunk } from 'objection';
import type { User } from './user';
import type { TeamMember } from './team-member';
import type { Campaign } from './campaign';

export class Team extends Model {
  static override tableName = 'teams';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare name: string;
  declare personal: boolean;
  declare time_zone: string;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare members?: TeamMember[];
  declare users?: User[];
  declare creator?: User | null;
  declare campaigns?: Campaign[];

  static override relationMappings: RelationMappingsThunk = () => ({
    members: {
      relation: Model.HasManyRelation,
      modelClass: 'team-member',
      join: { from: 'teams.id', to: 'team_members.team_id' },
    },
    users: {
      relation: Model.ManyToManyRelation,
      modelClass: 'user',
      join: {
        from: 'teams.id',
        through: { from: 'team_members.team_id', to: 'team_members.user_id', extra: ['role'] },
        to: 'users.id',
      },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'teams.created_by', to: 'users.id' },
    },
    campaigns: {
      relation: Model.HasManyRelation,
      modelClass: 'campaign',
      join: { from: 'teams.id', to: 'campaigns.team_id' },
    },
  });
}
