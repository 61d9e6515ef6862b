import type { CampaignsResponse } from '$api/campaigns';
import type { Content, ContentListResponse } from '$api/content';
import type { SequenceRunsResponse, SequencesResponse } from '$api/sequences';
import type { Api } from './api';
import { teamPath } from './current-team';

/** How many items each dashboard card lists (its count covers them all). */
const SHOWN = 3;
/** Sequences whose running contacts the dashboard counts (one request each; the newest first). */
const SEQUENCES_COUNTED = 12;

type ContentItem = Pick<Content, 'id' | 'title' | 'type' | 'publishAt' | 'updatedAt'>;

export interface NextSteps {
  /** Campaigns that are not archived: none means the first step is to create one. */
  campaignCount: number;
  /** When campaigns exist but the team has no content yet: the campaign to write the first article for. */
  firstContent: { campaignId: string; campaignName: string } | null;
  reviews: { count: number; items: ContentItem[] };
  scheduled: { count: number; items: ContentItem[] };
  sequences: {
    /** People currently inside a sequence (across the sequences counted). */
    people: number;
    sequenceCount: number;
    items: { id: string; name: string; running: number }[];
  };
}

const item = (c: Content): ContentItem => ({
  id: c.id,
  title: c.title,
  type: c.type,
  publishAt: c.publishAt,
  updatedAt: c.updatedAt,
});

/** What the marketer does next in a team: reviews waiting, posts scheduled, sequences running. */
export async function loadNextSteps(client: Api, teamId: string): Promise<NextSteps> {
  const base = teamPath(teamId);
  const [{ campaigns }, { content: waiting }, { content: scheduled }, { sequences }] = await Promise.all([
    client.get<CampaignsResponse>(`${base}/campaigns`),
    client.get<ContentListResponse>(`${base}/content?status=awaiting_review`),
    client.get<ContentListResponse>(`${base}/content?status=scheduled`),
    client.get<SequencesResponse>(`${base}/sequences`),
  ]);
  const counted = [...sequences]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, SEQUENCES_COUNTED);
  const running = await Promise.all(
    counted.map(async (s) => {
      const { runs } = await client.get<SequenceRunsResponse>(
        `${base}/sequences/${s.id}/runs?status=running`,
      );
      return { id: s.id, name: s.name, running: runs.length };
    }),
  );
  const active = running.filter((s) => s.running > 0).sort((a, b) => b.running - a.running);
  const open = campaigns.filter((c) => c.status !== 'archived');
  // Anything waiting or scheduled is content already; only otherwise ask whether the team has any at all.
  const noContent =
    open.length > 0 &&
    waiting.length === 0 &&
    scheduled.length === 0 &&
    (await client.get<ContentListResponse>(`${base}/content`)).content.length === 0;
  const target = open.find((c) => c.status === 'active') ?? open[0];
  const soonest = [...scheduled].sort((a, b) => (a.publishAt ?? '').localeCompare(b.publishAt ?? ''));
  return {
    campaignCount: open.length,
    firstContent: noContent && target ? { campaignId: target.id, campaignName: target.name } : null,
    reviews: { count: waiting.length, items: waiting.slice(0, SHOWN).map(item) },
    scheduled: { count: scheduled.length, items: soonest.slice(0, SHOWN).map(item) },
    sequences: {
      people: active.reduce((sum, s) => sum + s.running, 0),
      sequenceCount: active.length,
      items: active.slice(0, SHOWN),
    },
  };
}
