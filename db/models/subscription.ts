import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';

export type SubscriptionStatus =
  'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export class Subscription extends Model {
  static override tableName = 'subscriptions';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare stripe_customer_id: string | null;
  declare stripe_subscription_id: string | null;
  declare plan: string;
  declare status: SubscriptionStatus;
  declare current_period_end: Date | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'subscriptions.team_id', to: 'teams.id' },
    },
  });
}
