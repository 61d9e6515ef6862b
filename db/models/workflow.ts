import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { User } from './user';
import type { WorkflowVersion } from './workflow-version';

export type WorkflowStatus = 'draft' | 'active' | 'paused' | 'archived';

/** A builder's automation definition (table `workflows`), not a Temporal workflow execution. */
export class Workflow extends Model {
  static override tableName = 'workflows';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare name: string;
  declare description: string | null;
  declare trigger: Record<string, unknown>;
  declare status: WorkflowStatus;
  declare current_version_id: string | null;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare creator?: User | null;
  declare versions?: WorkflowVersion[];
  declare currentVersion?: WorkflowVersion | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'workflows.team_id', to: 'teams.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'workflows.created_by', to: 'users.id' },
    },
    versions: {
      relation: Model.HasManyRelation,
      modelClass: 'workflow-version',
      join: { from: 'workflows.id', to: 'workflow_versions.workflow_id' },
    },
    currentVersion: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'workflow-version',
      join: { from: 'workflows.current_version_id', to: 'workflow_versions.id' },
    },
  });
}
