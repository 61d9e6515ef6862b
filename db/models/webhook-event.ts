import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';

export type WebhookSource = 'clickbank' | 'stripe' | 'postmark' | 'automation';
export type WebhookEventStatus = 'received' | 'processing' | 'processed' | 'failed' | 'ignored';

export class WebhookEvent extends Model {
  static override tableName = 'webhook_events';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare source: WebhookSource;
  declare external_id: string;
  declare team_id: string | null;
  declare payload: unknown;
  declare status: WebhookEventStatus;
  declare error: string | null;
  declare received_at: Date;
  declare processed_at: Date | null;

  declare team?: Team | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'webhook_events.team_id', to: 'teams.id' },
    },
  });
}
