import { Model, type RelationMappingsThunk } from 'objection';
import { User } from './user';
import { TeamMember } from './team-member';
import { Campaign } from './campaign';
import { Subscription } from './subscription';

export class Team extends Model {
  static override tableName = 'teams';
  static override idColumn = 'id';

  declare id: string;
  declare name: string;
  declare personal: boolean;
  declare time_zone: string;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare members?: TeamMember[];
  declare users?: User[];
  declare creator?: User | null;
  declare campaigns?: Campaign[];
  declare subscription?: Subscription | null;

  static override relationMappings: RelationMappingsThunk = () => ({
    members: {
      relation: Model.HasManyRelation,
      modelClass: TeamMember,
      join: { from: 'teams.id', to: 'team_members.team_id' },
    },
    users: {
      relation: Model.ManyToManyRelation,
      modelClass: User,
      join: {
        from: 'teams.id',
        through: { from: 'team_members.team_id', to: 'team_members.user_id', extra: ['role'] },
        to: 'users.id',
      },
    },
    creator: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'teams.created_by', to: 'users.id' },
    },
    campaigns: {
      relation: Model.HasManyRelation,
      modelClass: Campaign,
      join: { from: 'teams.id', to: 'campaigns.team_id' },
    },
    subscription: {
      relation: Model.HasOneRelation,
      modelClass: Subscription,
      join: { from: 'teams.id', to: 'subscriptions.team_id' },
    },
  });
}
