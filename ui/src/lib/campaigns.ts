/** The campaign statuses as values, for the status filter (the shapes: $api/campaigns). */
import type { CampaignStatus } from '$api/campaigns';
import { everyValue } from './every-value';

export const campaignStatuses = everyValue<CampaignStatus>()(['draft', 'active', 'paused', 'archived']);

export function isCampaignStatus(value: string | null): value is CampaignStatus {
  return (campaignStatuses as readonly (string | null)[]).includes(value);
}

const campaignStatusWords: Record<CampaignStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  archived: 'Archived',
};

export function campaignStatusLabel(status: string): string {
  return campaignStatusWords[status as CampaignStatus] ?? status;
}

/** The campaigns a picker offers: archived ones cannot take new work. */
export function pickableCampaigns<T extends { status: string }>(campaigns: readonly T[]): T[] {
  return campaigns.filter((c) => c.status !== 'archived');
}

/** The API's limit on a campaign name (api/schemas/campaigns.ts). */
export const CAMPAIGN_NAME_MAX = 120;
