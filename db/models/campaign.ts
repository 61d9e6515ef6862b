import { Model, type RelationMappingsThunk } from 'objection';
import { Team } from './team';
import { Product } from './product';
import { User } from './user';
import { Content } from './content';
import { Bonus } from './bonus';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'archived';

export class Campaign extends Model {
  static override tableName = 'campaigns';
  static override idColumn = 'id';

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
  declare content?: Content[];
  declare bonuses?: Bonus[];

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: Team,
      join: { from: 'campaigns.team_id', to: 'teams.id' },
    },
    product: {
      relation: Model.BelongsToOneRelation,
      modelClass: Product,
      join: { from: 'campaigns.product_id', to: 'products.id' },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'campaigns.created_by', to: 'users.id' },
    },
    content: {
      relation: Model.HasManyRelation,
      modelClass: Content,
      join: { from: 'campaigns.id', to: 'content.campaign_id' },
    },
    bonuses: {
      relation: Model.ManyToManyRelation,
      modelClass: Bonus,
      join: {
        from: 'campaigns.id',
        through: { from: 'campaign_bonuses.campaign_id', to: 'campaign_bonuses.bonus_id' },
        to: 'bonuses.id',
      },
    },
  });
}
