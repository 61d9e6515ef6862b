/** Shapes of the campaigns API. */
export const campaignStatuses = ['draft', 'active', 'paused', 'archived'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export interface Campaign {
  id: string;
  teamId: string;
  name: string;
  productId: string | null;
  vendor: string | null;
  trackingId: string;
  hoplink: string;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

export function isCampaignStatus(value: string | null): value is CampaignStatus {
  return (campaignStatuses as readonly (string | null)[]).includes(value);
}
