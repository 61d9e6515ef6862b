import type { Config } from '../../lib/config';
import { badRequest } from '../../lib/errors';
import { defineRoute, type ApiRoute } from '../http/route';
import {
  bonusParams,
  bonusResponse,
  bonusRuleParams,
  bonusRuleResponse,
  bonusRulesResponse,
  bonusesResponse,
  createBonusAliasBody,
  createBonusAliasForm,
  createBonusBody,
  createBonusForm,
  createBonusRuleBody,
  deliveriesQuery,
  deliveriesResponse,
  listBonusesQuery,
  bonusTestResponse,
  setBonusCampaignsBody,
  updateBonusBody,
} from '../schemas/bonuses';
import { campaignParams } from '../schemas/campaigns';
import { teamParams } from '../schemas/teams';
import type { BonusService, CreateBonusInput } from '../services/bonuses';
import { readBonusRequest } from './bonus-upload';

const createResponses = {
  201: { description: 'Created', schema: bonusResponse },
  404: { description: 'campaign_not_found (a campaignIds entry is not a campaign of this team)' },
  413: { description: 'payload_too_large (the file is larger than the upload limit; details name `file`)' },
};

export function bonusRoutes(bonuses: BonusService, config: Pick<Config, 'bonuses'>): ApiRoute[] {
  const upload = { uploadDir: bonuses.files.uploadDir, maxBytes: config.bonuses.maxUploadBytes };

  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/bonuses',
      summary:
        'Create a bonus: JSON {name, description?, url, campaignIds?}, or multipart/form-data with a `file` part (stored on disk) and the same fields',
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      upload: { json: createBonusBody, form: createBonusForm },
      responses: createResponses,
      handler: async ({ membership, auth, req, res }) => {
        const read = await readBonusRequest(req, res, {
          json: createBonusBody,
          form: createBonusForm,
          ...upload,
        });
        const input: CreateBonusInput =
          read.kind === 'json' ? read.body : { ...read.fields, file: read.file };
        return { status: 201, body: await bonuses.create(membership, auth.userId, input) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bonuses',
      summary:
        'Create a bonus for the team named by `teamId` in the body (JSON or multipart, as POST /teams/{teamId}/bonuses; in multipart, the teamId field must come before the file part); editors only',
      tag: 'bonuses',
      auth: true,
      upload: { json: createBonusAliasBody, form: createBonusAliasForm },
      responses: { ...createResponses, 404: { description: 'team_not_found or campaign_not_found' } },
      handler: async ({ auth, req, res }) => {
        const read = await readBonusRequest(req, res, {
          json: createBonusAliasBody,
          form: createBonusAliasForm,
          ...upload,
          // Multipart: the team is checked when the file part begins, so an outsider's file is never stored.
          beforeFile: async (fields) => {
            const teamId = createBonusAliasForm.shape.teamId.safeParse(fields.teamId);
            if (!teamId.success) {
              throw badRequest('The request is not valid', [
                { path: 'teamId', message: 'Send teamId (a team id) as a form field before the file part' },
              ]);
            }
            await bonuses.assertMayCreate(teamId.data, auth.userId);
          },
        });
        const { teamId, ...fields } = read.kind === 'json' ? read.body : read.fields;
        const input: CreateBonusInput = read.kind === 'json' ? fields : { ...fields, file: read.file };
        try {
          return { status: 201, body: await bonuses.createForTeam(teamId, auth.userId, input) };
        } finally {
          if (read.kind === 'file') await bonuses.files.discard(read.file.tempPath);
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/bonuses',
      summary: "The team's bonuses, newest first, with delivery and download counts",
      tag: 'bonuses',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listBonusesQuery,
      responses: { 200: { description: 'Bonuses', schema: bonusesResponse } },
      handler: async ({ membership, query }) => ({ body: await bonuses.list(membership, query.campaignId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/bonuses/{bonusId}',
      summary: 'One bonus',
      tag: 'bonuses',
      auth: true,
      teamRole: 'viewer',
      params: bonusParams,
      responses: { 200: { description: 'Bonus', schema: bonusResponse } },
      handler: async ({ membership, params }) => ({ body: await bonuses.get(membership, params.bonusId) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/bonuses/{bonusId}',
      summary: 'Rename a bonus, change its description or (link bonuses) its url',
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: bonusParams,
      body: updateBonusBody,
      responses: { 200: { description: 'Updated', schema: bonusResponse } },
      handler: async ({ membership, params, body }) => ({
        body: await bonuses.update(membership, params.bonusId, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/bonuses/{bonusId}',
      summary: 'Delete a bonus, its deliveries (their links stop working) and its stored file',
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: bonusParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ membership, params }) => {
        await bonuses.remove(membership, params.bonusId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/bonuses/{bonusId}/test-delivery',
      summary:
        "Email this bonus to the signed-in person as a test (the buyer's email, marked as a test; not counted as a delivery)",
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: bonusParams,
      responses: {
        202: { description: 'The test email is on its way', schema: bonusTestResponse },
        404: { description: 'bonus_not_found' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, params, auth }) => ({
        status: 202,
        body: await bonuses.sendTest(membership, auth.userId, params.bonusId),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/teams/{teamId}/bonuses/{bonusId}/campaigns',
      summary: 'Set the campaigns that offer this bonus (replaces the list)',
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: bonusParams,
      body: setBonusCampaignsBody,
      responses: {
        200: { description: 'Updated', schema: bonusResponse },
        404: { description: 'bonus_not_found or campaign_not_found' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await bonuses.setCampaigns(membership, params.bonusId, body.campaignIds),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/bonuses/{bonusId}/deliveries',
      summary:
        "This bonus's deliveries (newest first) with download counts, optionally by receipt or buyer email",
      tag: 'bonuses',
      auth: true,
      teamRole: 'viewer',
      params: bonusParams,
      query: deliveriesQuery,
      responses: { 200: { description: 'Deliveries', schema: deliveriesResponse } },
      handler: async ({ membership, params, query }) => ({
        body: await bonuses.deliveries(membership, { ...query, bonusId: params.bonusId }),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/bonus-deliveries',
      summary: "The team's bonus deliveries (newest first), optionally by receipt or buyer email",
      tag: 'bonuses',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: deliveriesQuery,
      responses: { 200: { description: 'Deliveries', schema: deliveriesResponse } },
      handler: async ({ membership, query }) => ({ body: await bonuses.deliveries(membership, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/campaigns/{campaignId}/bonus-rules',
      summary: 'The ClickBank vendor (and item) rules that send sales without a known tid to this campaign',
      tag: 'bonuses',
      auth: true,
      teamRole: 'viewer',
      params: campaignParams,
      responses: { 200: { description: 'Rules', schema: bonusRulesResponse } },
      handler: async ({ membership, params }) => ({
        body: await bonuses.listRules(membership, params.campaignId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/campaigns/{campaignId}/bonus-rules',
      summary: "Send a vendor's sales (optionally one item's) without a known tid to this campaign's bonuses",
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: campaignParams,
      body: createBonusRuleBody,
      responses: {
        201: { description: 'Created', schema: bonusRuleResponse },
        409: { description: 'bonus_rule_exists' },
      },
      handler: async ({ membership, params, body }) => ({
        status: 201,
        body: await bonuses.addRule(membership, params.campaignId, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/campaigns/{campaignId}/bonus-rules/{ruleId}',
      summary: 'Remove a vendor rule',
      tag: 'bonuses',
      auth: true,
      teamRole: 'editor',
      params: bonusRuleParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ membership, params }) => {
        await bonuses.removeRule(membership, params.campaignId, params.ruleId);
        return { status: 204 };
      },
    }),
  ];
}
