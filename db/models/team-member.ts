import { Model, type RelationMappingsThunk } from 'objection';
import type { Role } from '../../lib/roles';
import type { Team } from './team';
import type { User } from './user';

export class TeamMember extends Model {
  static override tableName = 'team_members';
  static override idColumn = ['team_id', 'user_id'];
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare team_id: string;
  declare user_id: string;
  declare role: Role;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare user?: User;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'team_members.team_id', to: 'teams.id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'team_members.user_id', to: 'users.id' },
    },
  });
}
