import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';

export type EmailMessageStatus = 'queued' | 'sent' | 'failed' | 'bounced';

export class EmailMessage extends Model {
  static override tableName = 'email_messages';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare idempotency_key: string;
  declare to_email: string;
  declare subject: string;
  declare stream: string;
  declare postmark_message_id: string | null;
  declare status: EmailMessageStatus;
  declare error: string | null;
  declare sent_at: Date | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'email_messages.team_id', to: 'teams.id' },
    },
  });
}
