/**
 * The link every piece for a campaign sends readers to: the campaign's main tracking link (`/r/{slug}`) with the
 * source of the piece (`?src=`), so each click is counted, its sale attributed to it, and both shown per source.
 * The plain HopLink is the fallback for a campaign without a tracking link (it still earns, uncounted).
 */
export interface LinkedCampaign {
  hoplink: string | null;
  /** The slug of the campaign's primary tracking link. */
  trackingSlug: string | null;
}

/** Where the platform itself puts a campaign's link; each is a source on the analytics pages. */
export type LinkSource = 'content' | 'email' | 'broadcast' | 'bonus';

/** The public address of a tracking link: `/r/{slug}` on the API's public URL, where the redirect answers. */
export const trackingLinkUrl = (links: { publicUrl: string }, slug: string): string =>
  `${links.publicUrl}/r/${encodeURIComponent(slug)}`;

export function campaignLink(
  campaign: LinkedCampaign,
  links: { publicUrl: string },
  source: LinkSource,
): string | null {
  const slug = campaign.trackingSlug?.trim();
  if (slug) return `${trackingLinkUrl(links, slug)}?src=${source}`;
  const hoplink = campaign.hoplink?.trim();
  return hoplink ? hoplink : null;
}

/**
 * A campaign as email templates see it: `{{ hoplink }}` is its tracking link counted under `source` (`email`
 * for sequences, `broadcast` for broadcasts). The variable keeps its name so existing templates keep working.
 */
export function emailCampaign<C extends LinkedCampaign & { hoplink: string }>(
  campaign: C | null | undefined,
  links: { publicUrl: string },
  source: Extract<LinkSource, 'email' | 'broadcast'> = 'email',
): (C & { hoplink: string }) | null {
  if (!campaign) return null;
  return { ...campaign, hoplink: campaignLink(campaign, links, source) ?? '' };
}
