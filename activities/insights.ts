import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Config } from '../lib/config';
import { createIntegrationResolver } from '../lib/integrations/resolve';
import { createAnthropicClient } from '../lib/integrations/adapters/anthropic';
import type { TrackedEmail } from './email';
import { toActivityFailure } from '../lib/integrations/adapters/errors';

export interface InsightActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations'>;
}

export interface CampaignFigures {
  campaignId: string | null;
  name: string;
  clicks: number;
  sales: number;
  refunds: number;
  /** Sales and rebills minus refunds and chargebacks, in the account currency. */
  revenue: number;
}

export interface InsightFigures {
  day: string;
  timeZone: string;
  totals: Omit<CampaignFigures, 'campaignId' | 'name'>;
  campaigns: CampaignFigures[];
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

export interface InsightRecipient {
  userId: string;
  email: string;
  name: string;
}

export const InsightFailure = { teamNotFound: 'InsightTeamNotFound' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A zone luxon (and so PostgreSQL's IANA database) knows, else UTC: a bad value must not stop the night. */
export const usableZone = (zone: string | null | undefined): string =>
  zone && DateTime.now().setZone(zone).isValid ? zone : 'UTC';

/** Teams whose local time at `now` is `localHour`, with their yesterday. */
export function dueZones(
  zones: string[],
  now: Date,
  localHour: number,
): Map<string, { day: string; zone: string }> {
  const due = new Map<string, { day: string; zone: string }>();
  for (const stored of zones) {
    const zone = usableZone(stored);
    const local = DateTime.fromJSDate(now, { zone });
    if (local.hour !== localHour) continue;
    due.set(stored, { day: local.minus({ days: 1 }).toISODate()!, zone });
  }
  return due;
}

const hasActivity = (f: InsightFigures): boolean =>
  f.totals.clicks > 0 || f.totals.sales > 0 || f.totals.refunds > 0;

const money = (n: number): string => n.toFixed(2);

/** One line per campaign, used in the prompt and in the email. */
export function figureLines(figures: InsightFigures): string[] {
  return figures.campaigns.map(
    (c) =>
      `${c.name}: ${c.clicks} clicks, ${c.sales} sales, ${c.refunds} refunds, ${money(c.revenue)} revenue`,
  );
}

/** The prompt: totals first (the figures that matter most), then each campaign. */
export function insightPrompt(figures: InsightFigures): { system: string; prompt: string } {
  const t = figures.totals;
  return {
    system:
      'You write the short daily performance note of a ClickBank affiliate marketer. Plain text, 2 to 4 ' +
      'sentences: cite the key figures exactly as given, name the strongest and the weakest campaign, and end ' +
      'with one concrete suggestion. Never invent numbers.',
    prompt: [
      `Totals ${t.clicks} clicks, ${t.sales} sales, ${t.refunds} refunds, ${money(t.revenue)} revenue on ${figures.day} (${figures.timeZone}).`,
      'Per campaign:',
      ...figureLines(figures).map((line) => `- ${line}`),
    ].join('\n'),
  };
}

export const noActivityText = (day: string): string =>
  `No clicks, sales or refunds on ${day}. Nothing to report: share a HopLink or start a campaign to get traffic going.`;

export function createInsightActivities({ db, config }: InsightActivityDeps) {
  const resolver = createIntegrationResolver({ db, config });

  async function teamZone(teamId: string): Promise<string> {
    const team = await db('teams')
      .where({ id: teamId })
      .first<{ time_zone: string } | undefined>('time_zone');
    if (!team) {
      throw ApplicationFailure.nonRetryable(`team ${teamId} does not exist`, InsightFailure.teamNotFound);
    }
    return usableZone(team.time_zone);
  }

  return {
    /** Teams whose local clock reads `localHour` (03:00) at `now`, each with its yesterday. */
    async findTeamsDueForInsights(input: FindDueTeamsInput): Promise<DueTeam[]> {
      const now = new Date(input.now);
      const zones = await db('teams').distinct('time_zone').pluck<string[]>('time_zone');
      const due = dueZones(zones, now, input.localHour ?? 3);
      if (due.size === 0) return [];
      const teams = await db('teams')
        .whereIn('time_zone', [...due.keys()])
        .orderBy('id')
        .select<{ id: string; time_zone: string }[]>('id', 'time_zone');
      return teams.map((t) => {
        const { day, zone } = due.get(t.time_zone)!;
        return { teamId: t.id, day, timeZone: zone };
      });
    },

    /**
     * Rolls the team's analytics_events of `day` (its local day) up into analytics_daily, then reads the
     * figures per campaign from there. The rollup replaces the team's rows for that day, so a rerun after late
     * events gives the right numbers.
     */
    async computeInsightFigures(input: TeamDayInput): Promise<InsightFigures> {
      if (!DAY.test(input.day)) {
        throw ApplicationFailure.nonRetryable(`day ${input.day} is not YYYY-MM-DD`, 'InsightBadDay');
      }
      const timeZone = await teamZone(input.teamId);
      const start = DateTime.fromISO(input.day, { zone: timeZone }).startOf('day');
      const end = start.plus({ days: 1 });
      await db.transaction(async (trx) => {
        await trx('analytics_daily').where({ team_id: input.teamId, day: input.day }).delete();
        await trx.raw(
          `INSERT INTO analytics_daily (team_id, campaign_id, day, clicks, sales, refunds, revenue)
           SELECT team_id, campaign_id, ?::date,
                  count(*) FILTER (WHERE type = 'click'),
                  count(*) FILTER (WHERE type IN ('sale','rebill')),
                  count(*) FILTER (WHERE type IN ('refund','chargeback')),
                  coalesce(sum(CASE WHEN type IN ('sale','rebill') THEN coalesce(amount, 0)
                                    WHEN type IN ('refund','chargeback') THEN -abs(coalesce(amount, 0))
                                    ELSE 0 END), 0)
           FROM analytics_events
           WHERE team_id = ? AND occurred_at >= ? AND occurred_at < ?
           GROUP BY team_id, campaign_id`,
          [input.day, input.teamId, start.toJSDate(), end.toJSDate()],
        );
      });
      const rows = await db('analytics_daily as d')
        .leftJoin('campaigns as c', 'c.id', 'd.campaign_id')
        .where({ 'd.team_id': input.teamId, 'd.day': input.day })
        .orderBy([
          { column: 'd.revenue', order: 'desc' },
          { column: 'd.clicks', order: 'desc' },
        ])
        .select<
          {
            campaign_id: string | null;
            name: string | null;
            clicks: number;
            sales: number;
            refunds: number;
            revenue: string;
          }[]
        >('d.campaign_id', 'c.name', 'd.clicks', 'd.sales', 'd.refunds', 'd.revenue');
      const campaigns: CampaignFigures[] = rows.map((r) => ({
        campaignId: r.campaign_id,
        name: r.name ?? 'Without a campaign',
        clicks: Number(r.clicks),
        sales: Number(r.sales),
        refunds: Number(r.refunds),
        revenue: Number(r.revenue),
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
      const [row] = await db('team_insights')
        .insert({
          team_id: input.teamId,
          day: input.day,
          figures: JSON.stringify(input.figures),
          summary: input.text.summary,
          model: input.text.model,
        })
        .onConflict(['team_id', 'day'])
        .merge(['figures', 'summary', 'model', 'updated_at'])
        .returning<{ id: string }[]>('id');
      return { insightId: row!.id };
    },

    /**
     * The insight email for each member who opted in (one TrackedEmail each, keyed
     * `insight:<teamId>:<day>:<userId>` so a rerun never sends a member the same day twice).
     */
    async prepareInsightEmails(input: TeamDayInput): Promise<TrackedEmail[]> {
      const insight = await db('team_insights as i')
        .join('teams as t', 't.id', 'i.team_id')
        .where({ 'i.team_id': input.teamId, 'i.day': input.day })
        .first<{ summary: string; figures: InsightFigures; team_name: string } | undefined>(
          'i.summary',
          'i.figures',
          't.name as team_name',
        );
      if (!insight) return [];
      const recipients = await db('team_members as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where({ 'm.team_id': input.teamId, 'm.insights_email': true })
        .orderBy('u.email')
        .select<InsightRecipient[]>('u.id as userId', 'u.email as email', 'u.name as name');
      const t = insight.figures.totals;
      const subject = `${insight.team_name} on ${input.day}: ${t.clicks} clicks, ${t.sales} sales, ${money(t.revenue)} revenue`;
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
