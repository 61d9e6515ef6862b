import { defineRoute, type ApiRoute } from '../http/route';
import {
  campaignParams,
  campaignResponse,
  campaignsResponse,
  createCampaignBody,
  listCampaignsQuery,
  updateCampaignBody,
} from '../schemas/campaigns';
import { teamParams } from '../schemas/teams';
import type { CampaignService } from '../services/campaigns';

export function campaignRoutes(campaigns: CampaignService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns',
      summary:
        'Create a campaign for a catalog product or a ClickBank vendor, with its HopLink and tracking id',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createCampaignBody,
      responses: {
        201: { description: 'Created', schema: campaignResponse },
        404: { description: 'product_not_found' },
        409: { description: 'clickbank_not_connected (live mode without a connected ClickBank account)' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await campaigns.create(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/campaigns',
      summary: "The team's campaigns, newest first, optionally by status",
      tag: 'campaigns',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listCampaignsQuery,
      responses: { 200: { description: 'Campaigns', schema: campaignsResponse } },
      handler: async ({ membership, query }) => ({ body: await campaigns.list(membership, query.status) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/campaigns/{campaignId}',
      summary: 'One campaign',
      tag: 'campaigns',
      auth: true,
      teamRole: 'viewer',
      params: campaignParams,
      responses: { 200: { description: 'Campaign', schema: campaignResponse } },
      handler: async ({ membership, params }) => ({
        body: await campaigns.get(membership, params.campaignId),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/campaigns/{campaignId}',
      summary: 'Rename a campaign or change its status (draft, active, paused)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: campaignParams,
      body: updateCampaignBody,
      responses: {
        200: { description: 'Updated', schema: campaignResponse },
        409: { description: 'campaign_archived' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await campaigns.update(membership, params.campaignId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns/{campaignId}/archive',
      summary: 'Archive a campaign (its HopLink keeps tracking; it can no longer be edited)',
      tag: 'campaigns',
      auth: true,
      teamRole: 'editor',
      params: campaignParams,
      responses: { 200: { description: 'Archived', schema: campaignResponse } },
      handler: async ({ membership, params }) => ({
        body: await campaigns.archive(membership, params.campaignId),
      }),
    }),
  ];
}
