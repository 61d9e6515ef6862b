import { defineRoute, type ApiRoute } from '../http/route';
import {
  broadcastParams,
  broadcastResponse,
  broadcastsResponse,
  createBroadcastBody,
} from '../schemas/broadcasts';
import { teamParams } from '../schemas/teams';
import type { BroadcastService } from '../services/broadcasts';

export function broadcastRoutes(broadcasts: BroadcastService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/broadcasts',
      summary: "Schedule one email to a tag's active contacts at sendAt (default now)",
      tag: 'broadcasts',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createBroadcastBody,
      responses: {
        201: { description: 'Scheduled', schema: broadcastResponse },
        400: { description: 'validation_failed (template problems, sendAt in the past)' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await broadcasts.create(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/broadcasts',
      summary: "The team's broadcasts, newest first (at most 100), with their counts",
      tag: 'broadcasts',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Broadcasts', schema: broadcastsResponse } },
      handler: async ({ membership }) => ({ body: await broadcasts.list(membership) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/broadcasts/{broadcastId}',
      summary: 'One broadcast: status and counts (recipients, sent, skipped, refused) while it sends',
      tag: 'broadcasts',
      auth: true,
      teamRole: 'viewer',
      params: broadcastParams,
      responses: { 200: { description: 'Broadcast', schema: broadcastResponse } },
      handler: async ({ membership, params }) => ({
        body: await broadcasts.get(membership, params.broadcastId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/broadcasts/{broadcastId}/cancel',
      summary: 'Cancel a scheduled broadcast (before it starts sending)',
      tag: 'broadcasts',
      auth: true,
      teamRole: 'editor',
      params: broadcastParams,
      responses: {
        200: { description: 'Cancelled', schema: broadcastResponse },
        409: { description: 'broadcast_not_cancellable (sending or sent)' },
      },
      handler: async ({ membership, params }) => ({
        body: await broadcasts.cancel(membership, params.broadcastId),
      }),
    }),
  ];
}
