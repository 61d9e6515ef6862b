/** Shapes the ClickBank adapter hands to the rest of the platform. */

/** One product (vendor site) from the marketplace feed. */
export interface MarketplaceSite {
  /** Vendor nickname, ClickBank's `Id`. */
  id: string;
  title: string;
  description: string;
  /** Category names from the top level down, e.g. ["Health & Fitness", "Diets & Weight Loss"]. */
  categoryPath: string[];
  gravity: number;
  /** Commission percent the vendor offers. */
  commission: number;
  initialEarningsPerSale: number;
  averageEarningsPerSale: number;
  percentPerSale: number;
  percentPerRebill: number;
  totalRebillAmt: number;
  /** Percent of sales referred by affiliates. */
  referred: number;
  hasRecurringProducts: boolean;
  popularityRank: number;
  /** yyyy-mm-dd, or null when the feed leaves it out. */
  activateDate: string | null;
}

export interface ClickbankLineItem {
  itemNo: string;
  productTitle?: string;
  recurring?: boolean;
  shippable?: boolean;
  customerAmount?: number;
  accountAmount?: number;
  quantity?: number;
  lineItemType?: string;
  [field: string]: unknown;
}

/** A row of `orders2/list` / `orders2/{receipt}` (fields ClickBank adds later are kept). */
export interface ClickbankOrder {
  transactionTime: string;
  receipt: string;
  trackingId?: string | null;
  transactionType: string;
  vendor?: string;
  affiliate?: string;
  role?: string;
  totalOrderAmount?: number;
  totalAccountAmount?: number;
  currency?: string;
  email?: string;
  /** Always a list here, even when ClickBank sent one line item as a bare object. */
  lineItemData: ClickbankLineItem[];
  [field: string]: unknown;
}

export interface OrderQuery {
  /** yyyy-mm-dd */
  startDate: string;
  /** yyyy-mm-dd */
  endDate: string;
  /** SALE, RFND, CGBK, BILL, ... */
  type?: string;
  tid?: string;
}
