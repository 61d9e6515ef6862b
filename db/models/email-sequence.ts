import { Model, type RelationMappingsThunk } from 'objection';
import type { Campaign } from './campaign';
import type { EmailSequenceRun } from './email-sequence-run';
import type { EmailSequenceStep } from './email-sequence-step';
import type { Team } from './team';

export type SequenceTrigger = 'manual' | 'sale';

/** Ordered, delayed emails of one campaign; the campaign must be of the same team (composite FK). */
export class EmailSequence extends Model {
  static override tableName = 'email_sequences';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare campaign_id: string;
  declare name: string;
  declare trigger: SequenceTrigger;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare campaign?: Campaign;
  declare steps?: EmailSequenceStep[];
  declare runs?: EmailSequenceRun[];

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'email_sequences.team_id', to: 'teams.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'email_sequences.campaign_id', to: 'campaigns.id' },
    },
    steps: {
      relation: Model.HasManyRelation,
      modelClass: 'email-sequence-step',
      join: { from: 'email_sequences.id', to: 'email_sequence_steps.sequence_id' },
    },
    runs: {
      relation: Model.HasManyRelation,
      modelClass: 'email-sequence-run',
      join: { from: 'email_sequences.id', to: 'email_sequence_runs.sequence_id' },
    },
  });
}
