/** The campaign statuses as values, for the status filter (the shapes: $api/campaigns). */
import type { CampaignStatus } from '$api/campaigns';
import { everyValue } from './every-value';

export const campaignStatuses = everyValue<CampaignStatus>()(['draft', 'active', 'paused', 'archived']);

export function isCampaignStatus(value: string | null): value is CampaignStatus {
  return (campaignStatuses as readonly (string | null)[]).includes(value);
}
