/**
 * The link every piece for a campaign sends readers to. Today the campaign's ClickBank HopLink; once click
 * tracking lands this is the one place that swaps in the tracking link.
 */
export interface LinkedCampaign {
  hoplink: string | null;
}

export function campaignLink(campaign: LinkedCampaign): string | null {
  const link = campaign.hoplink?.trim();
  return link ? link : null;
}
