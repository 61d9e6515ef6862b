import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { Campaign } from './campaign';
import { User } from './user';

export type ContentKind = 'article' | 'review' | 'email' | 'social';
export type ContentStatus =
  'draft' | 'generating' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'failed' | 'archived';

export class Content extends Model {
  static override tableName = 'content';
  static override idColumn = 'id';

  declare id: string;
  declare team_id: string;
  declare campaign_id: string | null;
  declare kind: ContentKind;
  declare title: string;
  declare brief: Record<string, unknown>;
  declare outline: string | null;
  declare body: string | null;
  declare status: ContentStatus;
  declare scheduled_for: Date | null;
  declare published_url: string | null;
  /** bigint: arrives as a string from the driver. */
  declare wordpress_post_id: string | null;
  declare published_at: Date | null;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare campaign?: Campaign | null;
  declare creator?: User | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: Team,
      join: { from: 'content.team_id', to: 'teams.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: Campaign,
      join: { from: 'content.campaign_id', to: 'campaigns.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'content.created_by', to: 'users.id' },
    },
  });
}
