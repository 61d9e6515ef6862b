import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { Campaign } from './campaign';
import type { User } from './user';

export type ContentKind = 'review_article' | 'email' | 'social_post' | 'landing_page';
export type ContentStatus =
  'generating' | 'awaiting_review' | 'scheduled' | 'published' | 'rejected' | 'failed' | 'draft';

export class Content extends Model {
  static override tableName = 'content';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare campaign_id: string | null;
  declare type: ContentKind;
  declare title: string;
  declare brief: Record<string, unknown>;
  declare outline: string | null;
  declare body: string | null;
  declare status: ContentStatus;
  declare publish_at: Date | null;
  declare step: string | null;
  declare tone: string;
  declare keywords: string[];
  declare length: 'short' | 'medium' | 'long';
  declare input_tokens: number;
  declare output_tokens: number;
  declare revision: number;
  declare review_notes: string | null;
  declare failure: string | null;
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
      modelClass: 'team',
      join: { from: 'content.team_id', to: 'teams.id' },
    },
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'campaign',
      join: { from: 'content.campaign_id', to: 'campaigns.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'content.created_by', to: 'users.id' },
    },
  });
}
