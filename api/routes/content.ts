import { defineRoute, type ApiRoute } from '../http/route';
import {
  contentListResponse,
  contentParams,
  contentResponse,
  createContentBody,
  createdContentResponse,
  editBody,
  revisionListResponse,
  savedEditResponse,
  listContentQuery,
  reviewBody,
  scheduleBody,
} from '../schemas/content';
import { teamParams } from '../schemas/teams';
import type { ContentService } from '../services/content';

export function contentRoutes(content: ContentService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/content',
      summary:
        'Create a content item and start its pipeline (brief, outline, draft, polish, review, publish)',
      tag: 'content',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createContentBody,
      responses: {
        202: { description: 'Started; watch /stream for the draft', schema: createdContentResponse },
        404: { description: 'campaign_not_found' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 202,
        body: await content.create(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/content',
      summary: "The team's content (newest first, at most 100)",
      tag: 'content',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listContentQuery,
      responses: { 200: { description: 'Content items', schema: contentListResponse } },
      handler: async ({ membership, query }) => ({ body: await content.list(membership, query.status) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/content/{contentId}',
      summary: 'One content item, with its pipeline progress while the run is open',
      tag: 'content',
      auth: true,
      teamRole: 'viewer',
      params: contentParams,
      responses: { 200: { description: 'Content', schema: contentResponse } },
      handler: async ({ membership, params }) => ({ body: await content.get(membership, params.contentId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/content/{contentId}/stream',
      summary:
        'Server-Sent Events: snapshot (or the rest after Last-Event-ID), live deltas, status changes, done',
      tag: 'content',
      auth: true,
      teamRole: 'viewer',
      params: contentParams,
      responses: { 200: { description: 'text/event-stream: events snapshot, delta, status, done' } },
      handler: async ({ membership, params, req, res }) => {
        await content.stream(membership, params.contentId, req, res);
        return {};
      },
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/content/{contentId}/review',
      summary: 'Approve (publish now, at publishAt, or as a WordPress draft), revise with notes, or reject',
      tag: 'content',
      auth: true,
      teamRole: 'editor',
      params: contentParams,
      body: reviewBody,
      responses: {
        200: { description: 'The decision was accepted', schema: contentResponse },
        409: { description: 'invalid_transition: the pipeline refused the decision (reason in message)' },
      },
      handler: async ({ membership, auth, params, body }) => ({
        body: await content.review(membership, auth.userId, params.contentId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/content/{contentId}/revisions',
      summary:
        'Revision history, oldest first: each draft, each revise note and each edit, with who and when',
      tag: 'content',
      auth: true,
      teamRole: 'viewer',
      params: contentParams,
      responses: { 200: { description: 'Revisions', schema: revisionListResponse } },
      handler: async ({ membership, params }) => ({
        body: await content.revisions(membership, params.contentId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/content/{contentId}/revisions',
      summary:
        "Save the reviewer's edit of the text (Markdown) as a new revision; only while awaiting review",
      tag: 'content',
      auth: true,
      teamRole: 'editor',
      params: contentParams,
      body: editBody,
      responses: {
        201: { description: 'Saved; approving now publishes this text', schema: savedEditResponse },
        409: { description: 'invalid_transition: the item is not awaiting review' },
      },
      handler: async ({ membership, auth, params, body }) => ({
        status: 201,
        body: await content.saveEdit(membership, auth.userId, params.contentId, body.body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/content/{contentId}/schedule',
      summary: 'Move a scheduled publish (publishAt) or cancel it (null: back to awaiting review)',
      tag: 'content',
      auth: true,
      teamRole: 'editor',
      params: contentParams,
      body: scheduleBody,
      responses: {
        200: { description: 'Rescheduled', schema: contentResponse },
        409: { description: 'invalid_transition: not scheduled, or publishAt not in the future' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await content.schedule(membership, params.contentId, body),
      }),
    }),
  ];
}
