// The nightly insight's text: the figures a team's day is summed into, the prompt Claude writes the note
// from, and the plain text of a day without activity. Pure, so the worker and tests share it.

export interface CampaignFigures {
  campaignId: string | null;
  name: string;
  clicks: number;
  sales: number;
  refunds: number;
  /** Sales and rebills minus refunds and chargebacks, in the account currency. */
  revenue: number;
}

export interface InsightFigures {
  day: string;
  timeZone: string;
  totals: Omit<CampaignFigures, 'campaignId' | 'name'>;
  campaigns: CampaignFigures[];
}

/** A day with any click, sale or refund (otherwise the note says so without asking Claude). */
export const hasActivity = (f: InsightFigures): boolean =>
  f.totals.clicks > 0 || f.totals.sales > 0 || f.totals.refunds > 0;

export const money = (n: number): string => n.toFixed(2);

/** One line per campaign, used in the prompt and in the email. */
export function figureLines(figures: InsightFigures): string[] {
  return figures.campaigns.map(
    (c) =>
      `${c.name}: ${c.clicks} clicks, ${c.sales} sales, ${c.refunds} refunds, ${money(c.revenue)} revenue`,
  );
}

/** The prompt: totals first (the figures that matter most), then each campaign. */
export function insightPrompt(figures: InsightFigures): { system: string; prompt: string } {
  const t = figures.totals;
  return {
    system:
      'You write the short daily performance note of a ClickBank affiliate marketer. Plain text, 2 to 4 ' +
      'sentences: cite the key figures exactly as given, name the strongest and the weakest campaign, and end ' +
      'with one concrete suggestion. Never invent numbers.',
    prompt: [
      `Totals ${t.clicks} clicks, ${t.sales} sales, ${t.refunds} refunds, ${money(t.revenue)} revenue on ${figures.day} (${figures.timeZone}).`,
      'Per campaign:',
      ...figureLines(figures).map((line) => `- ${line}`),
    ].join('\n'),
  };
}

export const noActivityText = (day: string): string =>
  `No clicks, sales or refunds on ${day}. Nothing to report: share a HopLink or start a campaign to get traffic going.`;
