import { Model, type RelationMappingsThunk } from 'objection';
import type { EmailSequence } from './email-sequence';

export class EmailSequenceStep extends Model {
  static override tableName = 'email_sequence_steps';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare sequence_id: string;
  declare position: number;
  declare subject: string;
  declare body: string;
  declare delay_seconds: number;
  declare created_at: Date;

  declare sequence?: EmailSequence;

  static override relationMappings: RelationMappingsThunk = () => ({
    sequence: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'email-sequence',
      join: { from: 'email_sequence_steps.sequence_id', to: 'email_sequences.id' },
    },
  });
}
