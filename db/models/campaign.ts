import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';
import type { Product } from './product';
import type { User } from './user';
import type { Bonus } from './bonus';

export const campaignStatuses = ['draft', 'active', 'paused', 'archived'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export class Campaign extends Model {
  static override tableName = 'campaigns';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare product_id: string | null;
  declare name: string;
  declare tid: string;
  declare hoplink: string;
  declare status: CampaignStatus;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;
  declare product?: Product | null;
  declare creator?: User | null;
  declare bonuses?: Bonus[];

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'campaigns.team_id', to: 'teams.id' },
    },
    product: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'product',
      join: { from: 'campaigns.product_id', to: 'products.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'campaigns.created_by', to: 'users.id' },
    },
    bonuses: {
      relation: Model.ManyToManyRelation,
      modelClass: 'bonus',
      join: {
        from: 'campaigns.id',
        through: { from: 'campaign_bonuses.campaign_id', to: 'campaign_bonuses.bonus_id' },
        to: 'bonuses.id',
      },
    },
  });
}
