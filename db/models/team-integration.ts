import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';

export type IntegrationProvider = 'clickbank' | 'anthropic' | 'postmark' | 'wordpress';

export class TeamIntegration extends Model {
  static override tableName = 'team_integrations';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare provider: IntegrationProvider;
  /** Sealed JSON of the secret fields (lib/crypto/secret-box.ts); never sent to clients. */
  declare secret: string;
  declare settings: Record<string, unknown>;
  declare ins_token: string | null;
  declare last_test_ok: boolean | null;
  declare last_test_message: string | null;
  declare last_tested_at: Date | null;
  declare created_by: string | null;
  declare updated_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare team?: Team;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'team_integrations.team_id', to: 'teams.id' },
    },
  });
}
