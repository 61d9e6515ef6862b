import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { Campaign } from './campaign';
import { User } from './user';

export type ContentKind = 'review_article' | 'email' | 'social_post' | 'landing_page';
export type ContentStatus =
  'generating' | 'awaiting_review' | 'scheduled' | 'published' | 'rejected' | 'failed' | 'draft';

export class Content extends Model {
  static override tableName = 'content';
  static override idColumn = 'id';

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
