/** Shapes of the campaigns API. */
export type CampaignStatus = 'active' | 'paused' | 'archived' | string;

export interface Campaign {
  id: string;
  teamId: string;
  name: string;
  productId: string | null;
  vendor: string;
  trackingId: string;
  hoplink: string;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}
