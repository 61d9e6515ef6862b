import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { User } from './user';
import { Workflow } from './workflow';

/** Once published_at is set the database rejects UPDATE and DELETE of the row (trigger). */
export class WorkflowVersion extends Model {
  static override tableName = 'workflow_versions';
  static override idColumn = 'id';

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
      modelClass: Workflow,
      join: { from: 'workflow_versions.workflow_id', to: 'workflows.id' },
    },
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: Team,
      join: { from: 'workflow_versions.team_id', to: 'teams.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'workflow_versions.created_by', to: 'users.id' },
    },
  });
}
