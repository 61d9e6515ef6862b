import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import {
  figureLines,
  hasActivity,
  insightPrompt,
  money,
  noActivityText,
  type CampaignFigures,
  type InsightFigures,
} from '../lib/insights/prompt';
import { dueZones, usableZone } from '../lib/time-zones';
import { createIntegrationResolver } from '../lib/integrations/resolve';
import { createAnthropicClient } from '../lib/integrations/adapters/anthropic';
import type { TrackedEmail } from './email';
import { toActivityFailure } from '../lib/integrations/adapters/errors';
import { analyticsBreakdown } from '../data/analytics';
import { findInsightForEmail, listInsightEmailRecipients, upsertInsight } from '../data/insights';
import { teamIntegrationStore } from '../data/integrations';
import { findTeamTimeZone, listTeamTimeZones, listTeamsInTimeZones } from '../data/teams';

export interface InsightActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations'>;
}

export interface DueTeam {
  teamId: string;
  /** The team's yesterday (local calendar day) when `now` is its 03:00. */
  day: string;
  timeZone: string;
}

export interface FindDueTeamsInput {
  /** ISO instant; an input (not the clock) so the dispatcher's decision is replayable and testable. */
  now: string;
  /** Local hour the insight is due (default 3). */
  localHour?: number;
}

export interface TeamDayInput {
  teamId: string;
  day: string;
}

export interface InsightText {
  summary: string;
  /** null: the plain "no activity" text, written without Claude. */
  model: string | null;
}

const InsightFailure = { teamNotFound: 'InsightTeamNotFound' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** More campaigns than an email or a prompt can sensibly list. */
const INSIGHT_CAMPAIGNS_MAX = 500;

export function createInsightActivities({ db, config }: InsightActivityDeps) {
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config });

  async function teamZone(teamId: string): Promise<string> {
    const zone = await findTeamTimeZone(db, teamId);
    if (zone === undefined) {
      throw ApplicationFailure.nonRetryable(`team ${teamId} does not exist`, InsightFailure.teamNotFound);
    }
    return usableZone(zone);
  }

  return {
    /** Teams whose local clock reads `localHour` (03:00) at `now`, each with its yesterday. */
    async findTeamsDueForInsights(input: FindDueTeamsInput): Promise<DueTeam[]> {
      const now = new Date(input.now);
      const zones = await listTeamTimeZones(db);
      const due = dueZones(zones, now, input.localHour ?? 3);
      if (due.size === 0) return [];
      const teams = await listTeamsInTimeZones(db, [...due.keys()]);
      return teams.map((t) => {
        const { day, zone } = due.get(t.timeZone)!;
        return { teamId: t.id, day, timeZone: zone };
      });
    },

    /**
     * The day's figures per campaign, read from the analytics rollups (kept as events arrive, so a rerun after
     * late events gives the right numbers without recomputing anything). Sales count on their own day; clicks
     * are people's (bots apart); sales include rebills, refunds include chargebacks, revenue is net.
     */
    async computeInsightFigures(input: TeamDayInput): Promise<InsightFigures> {
      if (!DAY.test(input.day)) {
        throw ApplicationFailure.nonRetryable(`day ${input.day} is not YYYY-MM-DD`, 'InsightBadDay');
      }
      const timeZone = await teamZone(input.teamId);
      const rows = await analyticsBreakdown(
        db,
        { teamId: input.teamId, from: input.day, to: input.day, basis: 'sale' },
        'campaign',
        INSIGHT_CAMPAIGNS_MAX,
      );
      const campaigns: CampaignFigures[] = rows.map((r) => ({
        campaignId: r.key === '' ? null : r.key,
        name: r.key === '' ? 'Without a campaign' : r.label,
        clicks: r.clicks,
        sales: r.sales + r.rebills,
        refunds: r.refunds + r.chargebacks,
        revenue: r.net,
      }));
      const totals = campaigns.reduce(
        (sum, c) => ({
          clicks: sum.clicks + c.clicks,
          sales: sum.sales + c.sales,
          refunds: sum.refunds + c.refunds,
          revenue: Math.round((sum.revenue + c.revenue) * 100) / 100,
        }),
        { clicks: 0, sales: 0, refunds: 0, revenue: 0 },
      );
      return { day: input.day, timeZone, totals, campaigns };
    },

    /** Claude's short note on the figures; a plain "no activity" text (no Claude call) for an empty day. */
    async writeInsightSummary(input: TeamDayInput & { figures: InsightFigures }): Promise<InsightText> {
      if (!hasActivity(input.figures)) return { summary: noActivityText(input.day), model: null };
      const ctx = Context.current();
      try {
        const claude = createAnthropicClient({
          ...(await resolver.anthropic(input.teamId)),
          maxRetries: 0,
        });
        const { system, prompt } = insightPrompt(input.figures);
        const result = await claude.streamText({
          system,
          prompt,
          maxTokens: 400,
          signal: ctx.cancellationSignal,
          onText: () => ctx.heartbeat(),
        });
        return { summary: result.text.trim(), model: result.model };
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /** Upserts the team's insight for the day (a rerun replaces it). */
    async storeInsight(
      input: TeamDayInput & { figures: InsightFigures; text: InsightText },
    ): Promise<{ insightId: string }> {
      const insightId = await upsertInsight(db, {
        teamId: input.teamId,
        day: input.day,
        figures: input.figures,
        summary: input.text.summary,
        model: input.text.model,
      });
      return { insightId };
    },

    /**
     * The insight email for each member who opted in (one TrackedEmail each, keyed
     * `insight:<teamId>:<day>:<userId>` so a rerun never sends a member the same day twice).
     */
    async prepareInsightEmails(input: TeamDayInput): Promise<TrackedEmail[]> {
      const insight = await findInsightForEmail(db, input.teamId, input.day);
      if (!insight) return [];
      const recipients = await listInsightEmailRecipients(db, input.teamId);
      const t = insight.figures.totals;
      const subject = `${insight.teamName} on ${input.day}: ${t.clicks} clicks, ${t.sales} sales, ${money(t.revenue)} revenue`;
      const lines = figureLines(insight.figures);
      const textBody = [
        insight.summary,
        ...(lines.length > 0 ? ['', 'Per campaign:', ...lines.map((l) => `- ${l}`)] : []),
        '',
        'You get this email because you turned on the nightly insight email for this team in Hopflow.',
      ].join('\n');
      return recipients.map((r) => ({
        teamId: input.teamId,
        idempotencyKey: `insight:${input.teamId}:${input.day}:${r.userId}`,
        kind: 'insight' as const,
        to: r.email,
        subject,
        textBody,
        tag: 'insight',
        metadata: { team_id: input.teamId, day: input.day },
      }));
    },
  };
}

export type InsightActivities = ReturnType<typeof createInsightActivities>;
