import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { TeamMember } from './team-member';

export class User extends Model {
  static override tableName = 'users';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare email: string;
  declare name: string;
  declare password_hash: string;
  declare created_at: Date;
  declare updated_at: Date;

  declare memberships?: TeamMember[];
  declare teams?: Team[];

  static override relationMappings: RelationMappingsThunk = () => ({
    memberships: {
      relation: Model.HasManyRelation,
      modelClass: 'team-member',
      join: { from: 'users.id', to: 'team_members.user_id' },
    },
    teams: {
      relation: Model.ManyToManyRelation,
      modelClass: 'team',
      join: {
        from: 'users.id',
        through: { from: 'team_members.user_id', to: 'team_members.team_id', extra: ['role'] },
        to: 'teams.id',
      },
    },
  });
}
