import { Model, type RelationMappingsThunk } from 'objection';
import type { User } from './user';

export class RefreshToken extends Model {
  static override tableName = 'refresh_tokens';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare user_id: string;
  declare family_id: string;
  declare token_hash: string;
  declare expires_at: Date;
  declare used_at: Date | null;
  declare revoked_at: Date | null;
  declare replaced_by: string | null;
  declare user_agent: string | null;
  declare ip: string | null;
  declare created_at: Date;

  declare user?: User;

  static override relationMappings: RelationMappingsThunk = () => ({
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'user',
      join: { from: 'refresh_tokens.user_id', to: 'users.id' },
    },
  });
}
