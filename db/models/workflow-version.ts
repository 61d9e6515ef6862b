import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { User } from './user';
import type { Workflow } from './workflow';

/** Once published_at is set the database rejects UPDATE and DELETE of the row (trigger). */
export class WorkflowVersion extends Model {
  static override tableName = 'workflow_versions';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare workflow_id: string;
  declare team_id: string;
  declare version: number;
  declare definition: Record<string, unknown>;
  declare published_at: Date | null;
  declare created_by: string | null;
  declare created_at: Date;

  declare workflow?: Workflow;
  declare team?: Team;
  declare creator?: User | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    workflow: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'workflow',
      join: { from: 'workflow_versions.workflow_id', to: 'workflows.id' },
    },
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'workflow_versions.team_id', to: 'teams.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'workflow_versions.created_by', to: 'users.id' },
    },
  });
}
