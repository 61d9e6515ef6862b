import { Model, type RelationMappingsThunk } from 'objection';
import type { EmailSequence } from './email-sequence';

export type SequenceRunStatus = 'running' | 'completed' | 'stopped' | 'failed';

/** One row per `seq:<sequence>:<contact>` workflow, kept up to date by the workflow's activities. */
export class EmailSequenceRun extends Model {
  static override tableName = 'email_sequence_runs';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare sequence_id: string;
  declare contact_id: string;
  declare workflow_id: string;
  declare status: SequenceRunStatus;
  declare trigger_source: 'manual' | 'sale';
  declare current_step: number;
  declare total_steps: number | null;
  declare next_send_at: Date | null;
  declare stop_reason: string | null;
  declare started_at: Date;
  declare updated_at: Date;
  declare finished_at: Date | null;

  declare sequence?: EmailSequence;

  static override relationMappings: RelationMappingsThunk = () => ({
    sequence: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'email-sequence',
      join: { from: 'email_sequence_runs.sequence_id', to: 'email_sequences.id' },
    },
  });
}
