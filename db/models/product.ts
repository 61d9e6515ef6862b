import { Model, type RelationMappingsThunk } from 'objection';
import type { Campaign } from './campaign';

/** Shared ClickBank catalog row (not tenant-owned). Numeric columns arrive as strings to keep precision. */
export class Product extends Model {
  static override tableName = 'products';
  static override idColumn = 'id';
  // Related models by file name (resolved from this folder): no runtime import cycles between models.
  static override modelPaths = [__dirname];

  declare id: string;
  declare clickbank_id: string;
  declare title: string;
  declare description: string | null;
  declare category_path: string[];
  declare gravity: string;
  declare commission_rate: string | null;
  declare avg_earnings_per_sale: string | null;
  declare initial_earnings_per_sale: string | null;
  declare has_recurring: boolean;
  declare avg_rebill_total: string | null;
  declare pct_per_sale_from_rebill: string | null;
  declare popularity_rank: number | null;
  declare activate_date: Date | string | null;
  declare raw: Record<string, unknown>;
  declare synced_at: Date;
  declare created_at: Date;
  declare updated_at: Date;

  declare campaigns?: Campaign[];

  static override relationMappings: RelationMappingsThunk = () => ({
    campaigns: {
      relation: Model.HasManyRelation,
      modelClass: 'campaign',
      join: { from: 'products.id', to: 'campaigns.product_id' },
    },
  });
}
