import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  createTeamWith,
  createTestApi,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { given } from '../support/fixtures';
import type { Application } from 'express';
import { createApp } from '../../api/app';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { SearchAttr } from '../../workflows/contracts/search-attributes';

/**
 * Walks EVERY operation in /api/v1/openapi.json whose path has a parameter and proves the tenancy rules:
 * outsiders get 404 (also when they smuggle another team's child id into their own team's path), viewers get
 * 403 on mutations and succeed on reads. A documented route missing from the fixture table fails the test,
 * so every new route with an id must say here how to call it.
 */

interface World {
  /** The team under attack, owned by `owner`, with `viewer` and `member` in it. */
  teamId: string;
  checkId: string;
  /** Two campaigns of the attacked team: one to read and edit, one to archive. */
  campaignId: string;
  archiveCampaignId: string;
  /** Two tracking links (not the main one) of the first campaign: one to edit, one to archive and restore. */
  linkId: string;
  archiveLinkId: string;
  /** A content item of the attacked team that awaits review (its stream replays and ends at once). */
  contentId: string;
  /** A running workflow of the attacked team (no worker polls its queue, so it stays running). */
  runWorkflowId: string;
  /** A product of the shared catalog (not team-owned). */
  productId: string;
  /** A link bonus of the attacked team and a vendor rule of its first campaign. */
  bonusId: string;
  bonusRuleId: string;
  /** An active contact of the attacked team (deleted last by the owner). */
  contactId: string;
  /** An email sequence (with one step) and a scheduled broadcast of the attacked team. */
  sequenceId: string;
  broadcastId: string;
  /** A contact import job of the attacked team. */
  importId: string;
  /** An active webhook automation of the attacked team and a recorded run of it (no workflow behind it). */
  automationId: string;
  automationRunId: string;
  member: RegisteredUser;
  newcomer: RegisteredUser;
}

interface Fixture {
  /** Child ids always come from the attacked team; teamId is whichever team the caller names. */
  params: (w: World, teamId: string) => Record<string, string>;
  body?: (w: World) => object;
  /** What the owner gets (run last): proves the fixture reaches the handler, so the 404/403s above mean something. */
  ownerExpects: number;
  /** Call the app that has a Temporal client (the runs routes read Temporal itself). */
  withTemporal?: true;
  /** A shared-catalog route (no team in the path): any signed-in user may call it, so only sign-in is checked. */
  shared?: true;
  /** The caller's own setting in the team (e.g. the insight email opt-in): every member, a viewer too, may change it. */
  ownSetting?: true;
  /** What a viewer gets when it is neither a plain read nor 403 (a secret kept from viewers, a decision any member may try). */
  viewerExpects?: number;
  /** A public door (no login, no team: the automation webhook); it proves itself otherwise, so only the owner call runs. */
  public?: true;
}

const fixtures: Record<string, Fixture> = {
  'GET /products/{productId}': {
    params: (w) => ({ productId: w.productId }),
    ownerExpects: 200,
    shared: true,
  },
  'GET /teams/{teamId}': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
  'PATCH /teams/{teamId}': {
    params: (_w, teamId) => ({ teamId }),
    body: () => ({ name: 'Renamed by test' }),
    ownerExpects: 200,
  },
  'GET /teams/{teamId}/members': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
  'POST /teams/{teamId}/members': {
    params: (_w, teamId) => ({ teamId }),
    body: (w) => ({ email: w.newcomer.email, role: 'viewer' }),
    ownerExpects: 201,
  },
  'PATCH /teams/{teamId}/members/{userId}': {
    params: (w, teamId) => ({ teamId, userId: w.member.id }),
    body: () => ({ role: 'editor' }),
    ownerExpects: 200,
  },
  'DELETE /teams/{teamId}/members/{userId}': {
    params: (w, teamId) => ({ teamId, userId: w.member.id }),
    ownerExpects: 204,
  },
  // The test app has no Temporal: reaching the service shows up as 503 temporal_unavailable.
  'POST /teams/{teamId}/platform-checks': { params: (_w, teamId) => ({ teamId }), ownerExpects: 503 },
  'GET /teams/{teamId}/platform-checks': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
  'GET /teams/{teamId}/platform-checks/{checkId}': {
    params: (w, teamId) => ({ teamId, checkId: w.checkId }),
    ownerExpects: 200,
  },
  'GET /teams/{teamId}/integrations': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
  ...integrationFixtures(),
  ...campaignFixtures(),
  ...trackingLinkFixtures(),
  ...contentFixtures(),
  ...runFixtures(),
  ...bonusFixtures(),
  ...sequenceFixtures(),
  ...contactFixtures(),
  ...insightFixtures(),
  ...analyticsFixtures(),
  // A real load of the demo data (the team has no clicks): owners and admins only.
  'POST /teams/{teamId}/demo-data': { params: (_w, teamId) => ({ teamId }), ownerExpects: 201 },
  ...automationFixtures(),
};

/** Automations and their runs. The run row has no workflow behind it: run actions reach Temporal and answer 409. */
function automationFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  const withAutomation = (w: World, teamId: string) => ({ teamId, automationId: w.automationId });
  const withRun = (w: World, teamId: string) => ({ teamId, workflowId: w.automationRunId });
  const base = '/teams/{teamId}/automations/{automationId}';
  const runBase = '/teams/{teamId}/automation-runs/{workflowId}';
  const manual = { version: 1, trigger: { type: 'manual' }, steps: [] as unknown[] };
  manual.steps.push({ id: 'a', name: 'A', type: 'set_variable', config: { name: 'v', value: 1 } });
  return {
    'GET /teams/{teamId}/automations': { params: team, ownerExpects: 200 },
    'POST /teams/{teamId}/automations': {
      params: team,
      body: () => ({ name: 'Tenancy automation' }),
      ownerExpects: 201,
    },
    'POST /teams/{teamId}/automations/import': {
      params: team,
      body: () => ({ name: 'Imported', definition: manual }),
      ownerExpects: 201,
    },
    // The sequence of the attacked team: only its own team may name it in a template's values.
    'POST /teams/{teamId}/automations/from-template': {
      params: team,
      body: (w) => ({
        template_id: 'tagged-contact-sequence',
        values: { tag: 'tenancy', sequence_id: w.sequenceId },
      }),
      ownerExpects: 201,
    },
    [`GET ${base}`]: { params: withAutomation, ownerExpects: 200 },
    [`PATCH ${base}`]: { params: withAutomation, body: () => ({ name: 'Renamed' }), ownerExpects: 200 },
    // It has an unfinished run: the owner is asked what to do with it (runs_running).
    [`DELETE ${base}`]: { params: withAutomation, ownerExpects: 409 },
    [`GET ${base}/versions`]: { params: withAutomation, ownerExpects: 200 },
    [`GET ${base}/versions/{versionOrHash}`]: {
      params: (w, teamId) => ({ teamId, automationId: w.automationId, versionOrHash: '1' }),
      ownerExpects: 200,
    },
    [`POST ${base}/activate`]: { params: withAutomation, ownerExpects: 200 },
    [`POST ${base}/pause`]: { params: withAutomation, ownerExpects: 200 },
    [`GET ${base}/schedule`]: { params: withAutomation, ownerExpects: 200 },
    [`GET ${base}/webhook`]: { params: withAutomation, ownerExpects: 200, viewerExpects: 403 },
    [`POST ${base}/webhook/rotate`]: { params: withAutomation, ownerExpects: 200 },
    [`GET ${base}/deliveries`]: { params: withAutomation, ownerExpects: 200 },
    [`GET ${base}/export`]: { params: withAutomation, ownerExpects: 200 },
    [`POST ${base}/dry-run`]: {
      params: withAutomation,
      body: () => ({ step_id: 'a', sample: { trigger: {}, steps: {}, vars: {} } }),
      ownerExpects: 200,
    },
    [`POST ${base}/runs`]: {
      params: withAutomation,
      body: () => ({ payload: { from: 'tenancy' } }),
      ownerExpects: 202,
      withTemporal: true,
    },
    [`GET ${base}/runs`]: { params: withAutomation, ownerExpects: 200 },
    'GET /teams/{teamId}/automation-runs': { params: team, ownerExpects: 200 },
    [`GET ${runBase}`]: { params: withRun, ownerExpects: 200, withTemporal: true },
    [`POST ${runBase}/decision`]: {
      params: withRun,
      body: () => ({ step: 'a', decision: 'approve' }),
      ownerExpects: 409,
      viewerExpects: 409,
      withTemporal: true,
    },
    [`POST ${runBase}/cancel`]: { params: withRun, ownerExpects: 409, withTemporal: true },
    [`POST ${runBase}/signals/{name}`]: {
      params: (w, teamId) => ({ teamId, workflowId: w.automationRunId, name: 'go' }),
      body: () => ({ payload: 1 }),
      ownerExpects: 409,
      withTemporal: true,
    },
    [`POST ${runBase}/rerun`]: { params: withRun, ownerExpects: 202, withTemporal: true },
    [`POST ${runBase}/resume`]: { params: withRun, ownerExpects: 409, withTemporal: true },
    // The owner's session token is not the webhook's secret.
    'POST /hooks/{automationId}': {
      params: (w) => ({ automationId: w.automationId }),
      body: () => ({ hello: 'world' }),
      ownerExpects: 401,
      public: true,
    },
  };
}

function bonusFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  const withBonus = (w: World, teamId: string) => ({ teamId, bonusId: w.bonusId });
  const withCampaign = (w: World, teamId: string) => ({ teamId, campaignId: w.campaignId });
  return {
    'POST /teams/{teamId}/bonuses': {
      params: team,
      body: () => ({ name: 'Tenancy bonus', url: 'https://example.com/bonus' }),
      ownerExpects: 201,
    },
    'GET /teams/{teamId}/bonuses': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/bonuses/{bonusId}': { params: withBonus, ownerExpects: 200 },
    'PATCH /teams/{teamId}/bonuses/{bonusId}': {
      params: withBonus,
      body: () => ({ name: 'Renamed bonus' }),
      ownerExpects: 200,
    },
    'DELETE /teams/{teamId}/bonuses/{bonusId}': { params: withBonus, ownerExpects: 204 },
    'PUT /teams/{teamId}/bonuses/{bonusId}/campaigns': {
      params: withBonus,
      body: (w) => ({ campaignIds: [w.campaignId] }),
      ownerExpects: 200,
    },
    'GET /teams/{teamId}/bonuses/{bonusId}/deliveries': { params: withBonus, ownerExpects: 200 },
    // No Temporal here: the bonus is found (this team's), then the start answers 503.
    'POST /teams/{teamId}/bonuses/{bonusId}/test-delivery': { params: withBonus, ownerExpects: 503 },
    'GET /teams/{teamId}/bonus-deliveries': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/campaigns/{campaignId}/bonus-rules': { params: withCampaign, ownerExpects: 200 },
    'POST /teams/{teamId}/campaigns/{campaignId}/bonus-rules': {
      params: withCampaign,
      body: () => ({ vendor: 'tenancyv2' }),
      ownerExpects: 201,
    },
    'DELETE /teams/{teamId}/campaigns/{campaignId}/bonus-rules/{ruleId}': {
      params: (w, teamId) => ({ teamId, campaignId: w.campaignId, ruleId: w.bonusRuleId }),
      ownerExpects: 204,
    },
  };
}

/** The test app has no Temporal: running an insight by hand answers 503 once tenancy let it through. */
function insightFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  return {
    'GET /teams/{teamId}/insights/latest': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/insights': { params: team, ownerExpects: 200 },
    'POST /teams/{teamId}/insights/run': { params: team, body: () => ({}), ownerExpects: 503 },
    'GET /teams/{teamId}/members/me/insights-email': { params: team, ownerExpects: 200 },
    'PUT /teams/{teamId}/members/me/insights-email': {
      params: team,
      body: () => ({ enabled: true }),
      ownerExpects: 200,
      ownSetting: true,
    },
  };
}

/** Analytics reads (fixtures send no query: a breakdown without its dimension answers 400 once tenancy let it through). */
function analyticsFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  return {
    'GET /teams/{teamId}/analytics/series': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/analytics/series.csv': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/analytics/breakdown': { params: team, ownerExpects: 400, viewerExpects: 400 },
    'GET /teams/{teamId}/analytics/breakdown.csv': { params: team, ownerExpects: 400, viewerExpects: 400 },
  };
}

/** The import without a body reaches the service, which answers 400 (no email column). */
function contactFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  const withContact = (w: World, teamId: string) => ({ teamId, contactId: w.contactId });
  return {
    'GET /teams/{teamId}/contacts': { params: team, ownerExpects: 200 },
    'POST /teams/{teamId}/contacts': {
      params: team,
      body: () => ({ email: 'tenancy-new@example.com' }),
      ownerExpects: 201,
    },
    'GET /teams/{teamId}/contacts/tags': { params: team, ownerExpects: 200 },
    'POST /teams/{teamId}/contacts/import': { params: team, ownerExpects: 400 },
    // Without a body the job answers 400 (an empty file) once tenancy let it through.
    'POST /teams/{teamId}/contacts/imports': { params: team, ownerExpects: 400 },
    'GET /teams/{teamId}/contacts/imports': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/contacts/imports/{importId}': {
      params: (w, teamId) => ({ teamId, importId: w.importId }),
      ownerExpects: 200,
    },
    'GET /teams/{teamId}/contacts/{contactId}': { params: withContact, ownerExpects: 200 },
    'PATCH /teams/{teamId}/contacts/{contactId}': {
      params: withContact,
      body: () => ({ firstName: 'Renamed' }),
      ownerExpects: 200,
    },
    'DELETE /teams/{teamId}/contacts/{contactId}': { params: withContact, ownerExpects: 204 },
  };
}

/** The test app has no Temporal: enrolling and scheduling a broadcast answer 503 once tenancy let them through. */
function sequenceFixtures(): Record<string, Fixture> {
  const team = (_w: World, teamId: string) => ({ teamId });
  const withSequence = (w: World, teamId: string) => ({ teamId, sequenceId: w.sequenceId });
  const withBroadcast = (w: World, teamId: string) => ({ teamId, broadcastId: w.broadcastId });
  const step = { subject: 'Hi {{ first_name }}', body: 'Hello', delaySeconds: 0 };
  return {
    'POST /teams/{teamId}/sequences': {
      params: team,
      body: (w) => ({ campaignId: w.campaignId, name: 'Tenancy sequence' }),
      ownerExpects: 201,
    },
    'GET /teams/{teamId}/sequences': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/sequences/{sequenceId}': { params: withSequence, ownerExpects: 200 },
    'PATCH /teams/{teamId}/sequences/{sequenceId}': {
      params: withSequence,
      body: () => ({ name: 'Renamed sequence' }),
      ownerExpects: 200,
    },
    'DELETE /teams/{teamId}/sequences/{sequenceId}': { params: withSequence, ownerExpects: 204 },
    'PUT /teams/{teamId}/sequences/{sequenceId}/steps': {
      params: withSequence,
      body: () => ({ steps: [step] }),
      ownerExpects: 200,
    },
    'POST /teams/{teamId}/sequences/{sequenceId}/preview': {
      params: withSequence,
      body: () => ({ subject: step.subject, body: step.body }),
      ownerExpects: 200,
    },
    'POST /teams/{teamId}/sequences/{sequenceId}/enroll': {
      params: withSequence,
      body: () => ({ tag: 'tenancy' }),
      ownerExpects: 503,
    },
    'GET /teams/{teamId}/sequences/{sequenceId}/runs': { params: withSequence, ownerExpects: 200 },
    'POST /teams/{teamId}/broadcasts': {
      params: team,
      body: () => ({ name: 'Tenancy news', subject: 'News', body: 'Hello', tag: 'tenancy' }),
      ownerExpects: 503,
    },
    'GET /teams/{teamId}/broadcasts': { params: team, ownerExpects: 200 },
    'GET /teams/{teamId}/broadcasts/{broadcastId}': { params: withBroadcast, ownerExpects: 200 },
    'POST /teams/{teamId}/broadcasts/{broadcastId}/cancel': { params: withBroadcast, ownerExpects: 200 },
  };
}

function runFixtures(): Record<string, Fixture> {
  const withRun = (w: World, teamId: string) => ({ teamId, workflowId: w.runWorkflowId });
  return {
    'GET /teams/{teamId}/runs': {
      params: (_w, teamId) => ({ teamId }),
      ownerExpects: 200,
      withTemporal: true,
    },
    'GET /teams/{teamId}/runs/{workflowId}': { params: withRun, ownerExpects: 200, withTemporal: true },
    'POST /teams/{teamId}/runs/{workflowId}/cancel': {
      params: withRun,
      ownerExpects: 202,
      withTemporal: true,
    },
  };
}

/** The test app has no Temporal: starting or updating a pipeline answers 503 once tenancy let the call through. */
function contentFixtures(): Record<string, Fixture> {
  const withContent = (w: World, teamId: string) => ({ teamId, contentId: w.contentId });
  return {
    'POST /teams/{teamId}/content': {
      params: (_w, teamId) => ({ teamId }),
      body: (w) => ({ campaignId: w.campaignId, type: 'email', tone: 'warm', keywords: [], length: 'short' }),
      ownerExpects: 503,
    },
    'GET /teams/{teamId}/content': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
    'GET /teams/{teamId}/content/{contentId}': { params: withContent, ownerExpects: 200 },
    'GET /teams/{teamId}/content/{contentId}/stream': { params: withContent, ownerExpects: 200 },
    'POST /teams/{teamId}/content/{contentId}/review': {
      params: withContent,
      body: () => ({ decision: 'approve' }),
      ownerExpects: 503,
    },
    'POST /teams/{teamId}/content/{contentId}/schedule': {
      params: withContent,
      body: () => ({ publishAt: null }),
      ownerExpects: 503,
    },
    'GET /teams/{teamId}/content/{contentId}/revisions': { params: withContent, ownerExpects: 200 },
    'POST /teams/{teamId}/content/{contentId}/revisions': {
      params: withContent,
      body: () => ({ body: '# Edited by the owner\n\nNew text.' }),
      ownerExpects: 201,
    },
  };
}

function campaignFixtures(): Record<string, Fixture> {
  return {
    'POST /teams/{teamId}/campaigns': {
      params: (_w, teamId) => ({ teamId }),
      body: () => ({ name: 'Tenancy campaign', vendor: 'tenancyv1' }),
      ownerExpects: 201,
    },
    'GET /teams/{teamId}/campaigns': { params: (_w, teamId) => ({ teamId }), ownerExpects: 200 },
    'GET /teams/{teamId}/campaigns/{campaignId}': {
      params: (w, teamId) => ({ teamId, campaignId: w.campaignId }),
      ownerExpects: 200,
    },
    'PATCH /teams/{teamId}/campaigns/{campaignId}': {
      params: (w, teamId) => ({ teamId, campaignId: w.campaignId }),
      body: () => ({ name: 'Renamed campaign' }),
      ownerExpects: 200,
    },
    'POST /teams/{teamId}/campaigns/{campaignId}/archive': {
      params: (w, teamId) => ({ teamId, campaignId: w.archiveCampaignId }),
      ownerExpects: 200,
    },
  };
}

function trackingLinkFixtures(): Record<string, Fixture> {
  const withCampaign = (w: World, teamId: string) => ({ teamId, campaignId: w.campaignId });
  const withLink = (w: World, teamId: string) => ({ teamId, campaignId: w.campaignId, linkId: w.linkId });
  return {
    'GET /teams/{teamId}/campaigns/{campaignId}/links': { params: withCampaign, ownerExpects: 200 },
    'POST /teams/{teamId}/campaigns/{campaignId}/links': {
      params: withCampaign,
      body: () => ({ name: 'Tenancy link', source: 'tenancy' }),
      ownerExpects: 201,
    },
    'PATCH /teams/{teamId}/campaigns/{campaignId}/links/{linkId}': {
      params: withLink,
      body: () => ({ name: 'Renamed link' }),
      ownerExpects: 200,
    },
    'POST /teams/{teamId}/campaigns/{campaignId}/links/{linkId}/archive': {
      params: (w, teamId) => ({ teamId, campaignId: w.campaignId, linkId: w.archiveLinkId }),
      ownerExpects: 200,
    },
    // Restoring is idempotent, so it answers 200 whether or not the archive call ran first.
    'POST /teams/{teamId}/campaigns/{campaignId}/links/{linkId}/restore': {
      params: (w, teamId) => ({ teamId, campaignId: w.campaignId, linkId: w.archiveLinkId }),
      ownerExpects: 200,
    },
  };
}

/** Team integration settings: one literal path per provider; the test action answers 200 even when refused. */
function integrationFixtures(): Record<string, Fixture> {
  const bodies: Record<string, object> = {
    clickbank: {
      affiliateNickname: SANDBOX_CREDENTIALS.clickbank.affiliateNickname,
      insSecretKey: SANDBOX_CREDENTIALS.clickbank.insSecretKey,
    },
    anthropic: { apiKey: SANDBOX_CREDENTIALS.anthropic.apiKey },
    postmark: { serverToken: SANDBOX_CREDENTIALS.postmark.serverToken, fromEmail: 'news@example.com' },
    wordpress: {
      siteUrl: 'http://127.0.0.1:9/blog',
      username: SANDBOX_CREDENTIALS.wordpress.username,
      applicationPassword: SANDBOX_CREDENTIALS.wordpress.applicationPassword,
    },
  };
  const entries: [string, Fixture][] = Object.entries(bodies).flatMap(([provider, body]) => {
    const path = `/teams/{teamId}/integrations/${provider}`;
    const params = (_w: World, teamId: string) => ({ teamId });
    return [
      [`GET ${path}`, { params, ownerExpects: 200 }],
      [`PUT ${path}`, { params, body: () => body, ownerExpects: 200 }],
      [`DELETE ${path}`, { params, ownerExpects: 204 }],
      [`POST ${path}/test`, { params, ownerExpects: 200 }],
    ];
  });
  return Object.fromEntries(entries);
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
interface Operation {
  key: string;
  method: Method;
  path: string;
  paramNames: string[];
}

describe('tenancy: every route with an id', () => {
  let api: TestApi;
  let temporal: TemporalClient;
  let temporalApp: Application;
  let owner: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let world: World;
  let operations: Operation[];
  /** Operations on team-owned data (everything but the shared catalog). */
  let teamOperations: Operation[];

  beforeAll(async () => {
    api = await createTestApi();
    temporal = await createTemporalClient(api.config);
    temporalApp = createApp({ ...api.deps, temporal });
    owner = await registerUser(api.app, 'tenant-owner');
    viewer = await registerUser(api.app, 'tenant-viewer');
    outsider = await registerUser(api.app, 'outsider');
    const member = await registerUser(api.app, 'tenant-member');
    const newcomer = await registerUser(api.app, 'tenant-newcomer');
    const teamId = await createTeamWith(api.app, owner, [
      { user: viewer, role: 'viewer' },
      { user: member, role: 'editor' },
    ]);
    const checkId = randomUUID();
    // A finished check of the attacked team (the API only creates them through Temporal).
    await api.db('platform_checks').insert({
      id: checkId,
      team_id: teamId,
      requested_by: owner.id,
      workflow_id: `platform-check:${checkId}`,
      status: 'completed',
      result: JSON.stringify({ ok: true }),
      completed_at: new Date(),
    });
    const [campaignId, archiveCampaignId] = await Promise.all(
      ['tenancy_read', 'tenancy_archive'].map(
        async (tid) => (await given.campaignRow(api.db, { teamId, tid, name: tid, vendor: 'tenancyv1' })).id,
      ),
    );
    const [link, archiveLink] = await api
      .db('tracking_links')
      .insert(
        ['edit', 'archive'].map((name) => ({
          team_id: teamId,
          campaign_id: campaignId,
          slug: `tenancy-${name}-${Date.now()}`,
          name,
          source: 'tenancy',
        })),
      )
      .returning<{ id: string }[]>('id');
    const [content] = await api
      .db('content')
      .insert({
        team_id: teamId,
        campaign_id: campaignId,
        type: 'email',
        title: 'Email: tenancy',
        status: 'awaiting_review',
        step: 'review',
        body: 'Tenancy body',
      })
      .returning<{ id: string }[]>('id');
    const runWorkflowId = `tenancy-run:${randomUUID()}`;
    await temporal.client.workflow.start('platformCheckWorkflow', {
      taskQueue: 'tenancy-no-worker',
      workflowId: runWorkflowId,
      args: [{ checkId, teamId, requestedBy: null }],
      typedSearchAttributes: [{ key: SearchAttr.TeamId, value: teamId }],
      workflowExecutionTimeout: '10 minutes',
    });
    const [product] = await api
      .db('products')
      .insert({ clickbank_id: `tenancy${Date.now()}`, title: 'Tenancy product', category_path: ['Test'] })
      .returning<{ id: string }[]>('id');
    const [bonus] = await api
      .db('bonuses')
      .insert({ team_id: teamId, name: 'Tenancy bonus', url: 'https://example.com/bonus' })
      .returning<{ id: string }[]>('id');
    const [bonusRule] = await api
      .db('campaign_bonus_rules')
      .insert({ team_id: teamId, campaign_id: campaignId, vendor: 'tenancyv1' })
      .returning<{ id: string }[]>('id');
    const [contact] = await api
      .db('contacts')
      .insert({ team_id: teamId, email: 'tenancy-contact@example.com', source: 'manual' })
      .returning<{ id: string }[]>('id');
    const [sequence] = await api
      .db('email_sequences')
      .insert({ team_id: teamId, campaign_id: campaignId, name: 'Tenancy sequence' })
      .returning<{ id: string }[]>('id');
    await api.db('email_sequence_steps').insert({
      team_id: teamId,
      sequence_id: sequence!.id,
      position: 0,
      subject: 'Hi',
      body: 'Hello',
      delay_seconds: 0,
    });
    const broadcastId = randomUUID();
    await api.db('broadcasts').insert({
      id: broadcastId,
      team_id: teamId,
      name: 'Tenancy news',
      subject: 'News',
      body: 'Hello',
      tag: 'tenancy',
      send_at: new Date(Date.now() + 3600_000),
      workflow_id: `broadcast:${broadcastId}`,
    });
    const importId = randomUUID();
    await api.db('contact_imports').insert({
      id: importId,
      team_id: teamId,
      csv: Buffer.from('email\n'),
      file_bytes: 6,
      workflow_id: `contact-import-${importId}`,
    });
    const automation = await request(api.app)
      .post(`/api/v1/teams/${teamId}/automations`)
      .set(bearer(owner.accessToken))
      .send({
        name: 'Tenancy hook',
        definition: {
          version: 1,
          trigger: { type: 'webhook', auth: { scheme: 'token' } },
          steps: [{ id: 'a', name: 'A', type: 'set_variable', config: { name: 'v', value: 1 } }],
        },
      })
      .expect(201);
    const automationId = (automation.body as { automation: { id: string } }).automation.id;
    await request(api.app)
      .post(`/api/v1/teams/${teamId}/automations/${automationId}/activate`)
      .set(bearer(owner.accessToken))
      .expect(200);
    const version = await api
      .db('workflow_versions')
      .where({ workflow_id: automationId, version: 1 })
      .first<{ id: string }>('id');
    const automationRunId = `auto:${automationId}:tenancy-${randomUUID()}`;
    await api.db('automation_runs').insert({
      workflow_id: automationRunId,
      automation_id: automationId,
      team_id: teamId,
      version_id: version.id,
      version: 1,
      trigger_source: 'manual',
      trigger_key: 'tenancy',
      payload: JSON.stringify({ from: 'tenancy' }),
    });
    world = {
      teamId,
      importId,
      automationId,
      automationRunId,
      sequenceId: sequence!.id,
      broadcastId,
      contactId: contact!.id,
      productId: product!.id,
      bonusId: bonus!.id,
      bonusRuleId: bonusRule!.id,
      runWorkflowId,
      checkId,
      campaignId: campaignId!,
      archiveCampaignId: archiveCampaignId!,
      linkId: link!.id,
      archiveLinkId: archiveLink!.id,
      contentId: content!.id,
      member,
      newcomer,
    };

    const doc = (await request(api.app).get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => ({
          key: `${method.toUpperCase()} ${path}`,
          method: method as Method,
          path,
          paramNames: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''),
        })),
      )
      .filter((op) => op.paramNames.length > 0);
    teamOperations = operations.filter((op) => !fixtures[op.key]?.shared && !fixtures[op.key]?.public);
  });

  afterAll(async () => {
    await temporal?.close();
    await api.close();
  });

  function call(op: Operation, user: RegisteredUser | null, teamId: string) {
    const fixture = fixtures[op.key];
    if (!fixture) throw new Error(`no tenancy fixture for ${op.key}`);
    const params = fixture.params(world, teamId);
    const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`fixture for ${op.key} does not fill {${name}}`);
      return encodeURIComponent(value);
    });
    let req = request(fixture.withTemporal ? temporalApp : api.app)[op.method](`/api/v1${url}`);
    if (user) req = req.set(bearer(user.accessToken));
    return fixture.body ? req.send(fixture.body(world)) : req;
  }

  const describeResult = (op: Operation, res: { status: number; body: unknown }) =>
    `${op.key} -> ${res.status} ${JSON.stringify(res.body)}`;

  it('has a fixture for every documented route with a path parameter, and none for routes that are gone', () => {
    expect(operations.length).toBeGreaterThanOrEqual(9);
    const documented = operations.map((op) => op.key).sort();
    expect(Object.keys(fixtures).sort()).toEqual(documented);
  });

  it('requires a signed-in user on every one of them', async () => {
    for (const op of operations.filter((o) => !fixtures[o.key]?.public)) {
      const res = await call(op, null, world.teamId);
      expect(describeResult(op, res)).toBe(describeResult(op, { status: 401, body: res.body }));
    }
  });

  it('answers 404 to a signed-in user who is not a member of the team', async () => {
    for (const op of teamOperations) {
      const res = await call(op, outsider, world.teamId);
      expect(describeResult(op, res)).toBe(describeResult(op, { status: 404, body: res.body }));
    }
  });

  it('answers 404 for teams that do not exist or ids that are not UUIDs', async () => {
    for (const op of teamOperations) {
      for (const teamId of [randomUUID(), 'not-a-uuid']) {
        const res = await call(op, owner, teamId);
        expect(describeResult(op, res)).toBe(describeResult(op, { status: 404, body: res.body }));
      }
    }
  });

  it("answers 404 when another team's child id is used inside the caller's own team", async () => {
    // The outsider owns their personal team, so team access passes; only a team-scoped child lookup stops this.
    const withChildren = teamOperations.filter((op) => op.paramNames.some((name) => name !== 'teamId'));
    expect(withChildren.length).toBeGreaterThan(0);
    for (const op of withChildren) {
      const res = await call(op, outsider, outsider.personalTeamId);
      expect(describeResult(op, res)).toBe(describeResult(op, { status: 404, body: res.body }));
    }
  });

  it('answers 403 to a viewer on every mutation and lets the viewer read', async () => {
    for (const op of teamOperations) {
      const res = await call(op, viewer, world.teamId);
      const viewerExpects = fixtures[op.key]?.viewerExpects;
      if (viewerExpects !== undefined) {
        expect(describeResult(op, res)).toBe(describeResult(op, { status: viewerExpects, body: res.body }));
      } else if (op.method === 'get' || fixtures[op.key]?.ownSetting) {
        expect(res.status >= 200 && res.status < 300 ? `${op.key} ok` : describeResult(op, res)).toBe(
          `${op.key} ok`,
        );
      } else {
        expect(describeResult(op, res)).toBe(describeResult(op, { status: 403, body: res.body }));
      }
    }
  });

  it('lets any signed-in user (an outsider too) read the shared catalog routes', async () => {
    for (const op of operations.filter((o) => fixtures[o.key]?.shared)) {
      const res = await call(op, outsider, world.teamId);
      expect(describeResult(op, res)).toBe(describeResult(op, { status: 200, body: res.body }));
    }
  });

  it('lets the owner through on every one of them (the fixtures are real calls)', async () => {
    // Mutations last, deletes at the very end, so each call still finds what it needs.
    const order = (op: Operation) => ({ get: 0, post: 1, put: 1, patch: 2, delete: 3 })[op.method];
    for (const op of [...operations].sort((a, b) => order(a) - order(b))) {
      const res = await call(op, owner, world.teamId);
      const expected = fixtures[op.key]?.ownerExpects;
      expect(describeResult(op, res)).toBe(describeResult(op, { status: expected ?? -1, body: res.body }));
    }
  });
});
