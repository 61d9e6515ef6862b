import { defineRoute, type ApiRoute } from '../http/route';
import {
  createSequenceBody,
  enrollBody,
  enrollResponse,
  listRunsQuery,
  listSequencesQuery,
  previewBody,
  previewResponse,
  replaceStepsBody,
  runsResponse,
  sequenceParams,
  sequenceResponse,
  sequencesResponse,
  updateSequenceBody,
} from '../schemas/sequences';
import { teamParams } from '../schemas/teams';
import type { SequenceService } from '../services/sequences';

export function sequenceRoutes(sequences: SequenceService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/sequences',
      summary: 'Create an email sequence for a campaign (optionally with its steps)',
      tag: 'sequences',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createSequenceBody,
      responses: {
        201: { description: 'Created', schema: sequenceResponse },
        400: { description: 'validation_failed (template problems name the field, e.g. steps.1.body)' },
        404: { description: 'campaign_not_found' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await sequences.create(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/sequences',
      summary: "The team's sequences, newest first, optionally of one campaign",
      tag: 'sequences',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listSequencesQuery,
      responses: { 200: { description: 'Sequences', schema: sequencesResponse } },
      handler: async ({ membership, query }) => ({
        body: await sequences.list(membership, query.campaignId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/sequences/{sequenceId}',
      summary: 'One sequence with its ordered steps',
      tag: 'sequences',
      auth: true,
      teamRole: 'viewer',
      params: sequenceParams,
      responses: { 200: { description: 'Sequence', schema: sequenceResponse } },
      handler: async ({ membership, params }) => ({
        body: await sequences.get(membership, params.sequenceId),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/sequences/{sequenceId}',
      summary: 'Rename a sequence or change its trigger (manual or sale)',
      tag: 'sequences',
      auth: true,
      teamRole: 'editor',
      params: sequenceParams,
      body: updateSequenceBody,
      responses: { 200: { description: 'Updated', schema: sequenceResponse } },
      handler: async ({ membership, params, body }) => ({
        body: await sequences.update(membership, params.sequenceId, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/sequences/{sequenceId}',
      summary: 'Delete a sequence; its running runs stop at once',
      tag: 'sequences',
      auth: true,
      teamRole: 'editor',
      params: sequenceParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ membership, params }) => {
        await sequences.remove(membership, params.sequenceId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/teams/{teamId}/sequences/{sequenceId}/steps',
      summary: 'Replace the ordered steps (at most 50); running runs keep the steps they started with',
      tag: 'sequences',
      auth: true,
      teamRole: 'editor',
      params: sequenceParams,
      body: replaceStepsBody,
      responses: {
        200: { description: 'Steps saved', schema: sequenceResponse },
        400: { description: 'validation_failed (e.g. steps.1.body: unknown variable)' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await sequences.replaceSteps(membership, params.sequenceId, body.steps),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/sequences/{sequenceId}/preview',
      summary: 'Render a subject and body for a contact, or with sample values',
      tag: 'sequences',
      auth: true,
      // Every POST needs editor (the tenancy rule for mutations); the editor is where previews are made.
      teamRole: 'editor',
      params: sequenceParams,
      body: previewBody,
      responses: {
        200: { description: 'The rendered email', schema: previewResponse },
        404: { description: 'contact_not_found' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await sequences.preview(membership, params.sequenceId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/sequences/{sequenceId}/enroll',
      summary: 'Start the sequence for contacts (by id and/or tag); one run per contact, never doubled',
      tag: 'sequences',
      auth: true,
      teamRole: 'editor',
      params: sequenceParams,
      body: enrollBody,
      responses: {
        200: { description: 'Counts of started, already running and skipped', schema: enrollResponse },
        409: { description: 'sequence_empty' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await sequences.enroll(membership, params.sequenceId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/sequences/{sequenceId}/runs',
      summary: "The sequence's runs: status, current step, next send time",
      tag: 'sequences',
      auth: true,
      teamRole: 'viewer',
      params: sequenceParams,
      query: listRunsQuery,
      responses: { 200: { description: 'Runs (newest first, at most 500)', schema: runsResponse } },
      handler: async ({ membership, params, query }) => ({
        body: await sequences.runs(membership, params.sequenceId, query.status),
      }),
    }),
  ];
}
