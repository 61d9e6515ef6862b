import { defineRoute, type ApiRoute } from '../http/route';
import {
  createTrackingLinkBody,
  listTrackingLinksQuery,
  trackingLinkParams,
  trackingLinkResponse,
  trackingLinksParams,
  trackingLinksResponse,
  updateTrackingLinkBody,
} from '../schemas/tracking-links';
import type { TrackingLinkService } from '../services/tracking-links';

export function trackingLinkRoutes(links: TrackingLinkService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/campaigns/{campaignId}/links',
      summary: "A campaign's tracking links, the main one first",
      tag: 'campaigns',
      auth: true,
      teamRole: 'viewer',
      params: trackingLinksParams,
      query: listTrackingLinksQuery,
      responses: {
        200: { description: 'Links', schema: trackingLinksResponse },
        404: { description: 'campaign_not_found' },
      },
      handler: async ({ membership, params, query }) => ({
        body: await links.list(membership, params.campaignId, query.archived),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns/{campaignId}/links',
      summary: 'Add a tracking link with its own name and source (e.g. one per channel)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: trackingLinksParams,
      body: createTrackingLinkBody,
      responses: {
        201: { description: 'Created', schema: trackingLinkResponse },
        404: { description: 'campaign_not_found' },
        409: { description: 'slug_taken (the chosen address is in use), campaign_archived' },
      },
      handler: async ({ membership, auth, params, body }) => ({
        status: 201,
        body: await links.create(membership, auth.userId, params.campaignId, body),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/campaigns/{campaignId}/links/{linkId}',
      summary: 'Rename a tracking link or change its source (later clicks count under the new source)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: trackingLinkParams,
      body: updateTrackingLinkBody,
      responses: {
        200: { description: 'Updated', schema: trackingLinkResponse },
        404: { description: 'link_not_found' },
        409: { description: 'link_archived' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await links.update(membership, params.campaignId, params.linkId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns/{campaignId}/links/{linkId}/archive',
      summary: 'Archive a tracking link (it keeps redirecting and counting; it leaves the list)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: trackingLinkParams,
      responses: {
        200: { description: 'Archived', schema: trackingLinkResponse },
        404: { description: 'link_not_found' },
        409: { description: 'link_primary (the main link stays)' },
      },
      handler: async ({ membership, params }) => ({
        body: await links.archive(membership, params.campaignId, params.linkId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns/{campaignId}/links/{linkId}/restore',
      summary: 'Restore an archived tracking link to the list (undoes archive; idempotent)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: trackingLinkParams,
      responses: {
        200: { description: 'Restored', schema: trackingLinkResponse },
        404: { description: 'link_not_found' },
      },
      handler: async ({ membership, params }) => ({
        body: await links.restore(membership, params.campaignId, params.linkId),
      }),
    }),
  ];
}
