import { Model, type RelationMappingsThunk } from 'objection';
import type { Team } from './team';

export type BroadcastStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';

/** One email to the active contacts of a tag at send_at, sent by the `broadcast:<id>` workflow. */
export class Broadcast extends Model {
  static override tableName = 'broadcasts';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare team_id: string;
  declare name: string;
  declare subject: string;
  declare body: string;
  declare tag: string;
  declare send_at: Date;
  declare status: BroadcastStatus;
  declare recipients: number;
  declare sent: number;
  declare skipped: number;
  declare refused: number;
  declare workflow_id: string;
  declare failure: string | null;
  declare created_by: string | null;
  declare created_at: Date;
  declare updated_at: Date;
  declare started_at: Date | null;
  declare finished_at: Date | null;

  declare team?: Team;

  static override relationMappings: RelationMappingsThunk = () => ({
    team: {
      relation: Model.BelongsToOneRelation,
      modelClass: 'team',
      join: { from: 'broadcasts.team_id', to: 'teams.id' },
    },
  });
}
