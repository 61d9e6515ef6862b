import { Model, type RelationMappingsThunk } from 'objection';
import { EmailSequence } from './email-sequence';

export class EmailSequenceStep extends Model {
  static override tableName = 'email_sequence_steps';
  static override idColumn = 'id';

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
      modelClass: EmailSequence,
      join: { from: 'email_sequence_steps.sequence_id', to: 'email_sequences.id' },
    },
  });
}
