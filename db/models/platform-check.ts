import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { User } from './user';

export class PlatformCheck extends Model {
  static override tableName = 'platform_checks';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare requested_by: string | null;
  declare workflow_id: string;
  declare status: 'pending' | 'completed' | 'failed';
  declare result: unknown;
  declare worker_identity: string | null;
  declare created_at: Date;
  declare completed_at: Date | null;

  declare team?: Team;
  declare requester?: User | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'platform_checks.team_id', to: 'teams.id' },
    },
    requester: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'platform_checks.requested_by', to: 'users.id' },
    },
  });
}
