/** Shapes of the insights API. */
export interface InsightFigures {
  clicks: number;
  sales: number;
  refunds: number;
  revenue: number;
}

export interface Insight {
  id: string;
  day: string;
  summary: string;
  model: string | null;
  figures: {
    day: string;
    timeZone: string;
    totals: InsightFigures;
    campaigns: (InsightFigures & { campaignId: string | null; name: string })[];
  };
  createdAt: string;
  updatedAt: string;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatMoney(amount: number): string {
  return money.format(amount);
}
