import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { User } from './user';

export type TeamRole = 'owner' | 'admin' | 'editor' | 'viewer';

export class TeamMember extends Model {
  static override tableName = 'team_members';
  static override idColumn = ['team_id', 'user_id'];

  declare team_id: string;
  declare user_id: string;
  declare role: TeamRole;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare user?: User;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: Team,
      join: { from: 'team_members.team_id', to: 'teams.id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'team_members.user_id', to: 'users.id' },
    },
  });
}
