import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { conflict } from '../../lib/errors';
import {
  DEMO_PROFILES,
  demoProducts,
  fillDemoAnalytics,
  teamHasClicks,
  type DemoCampaign,
  type DemoSummary,
} from '../../data/demo-data';
import type { TeamMembership } from '../http/locals';
import { createCampaignService } from './campaigns';

/** Vendors used when the catalog has no products yet (a fresh install before its first catalog sync). */
const FALLBACK = [
  { name: 'Demo · Keto meal plan', vendor: 'ketoplan' },
  { name: 'Demo · Guitar lessons', vendor: 'guitarpro' },
  { name: 'Demo · Sleep better program', vendor: 'sleepwell' },
  { name: 'Demo · Home garden guide', vendor: 'gardenpro' },
];

/**
 * Fills a team that has no clicks yet with demo campaigns and 90 days of clicks and sales, so a newcomer sees
 * the dashboard at work (`./hopflow demo-data`, or the dashboard's "Load demo data"). A team with clicks is
 * refused: demo figures never mix into real ones, and a second run does not double them.
 */
export function createDemoDataService(deps: { db: Knex; config: Pick<Config, 'integrations' | 'links'> }) {
  const campaigns = createCampaignService(deps);
  return {
    async load(
      m: TeamMembership,
      userId: string,
      opts: { seed?: number; now?: Date; say?: (line: string) => void } = {},
    ): Promise<DemoSummary> {
      if (await teamHasClicks(deps.db, m.teamId)) {
        throw conflict(
          'This team already has clicks, so demo data would mix with its figures. Use a new team for the demo.',
          'team_has_clicks',
        );
      }
      const say = opts.say ?? (() => {});
      const products = await demoProducts(deps.db, DEMO_PROFILES.length);
      const made: DemoCampaign[] = [];
      for (const [i, fallback] of FALLBACK.entries()) {
        const product = products[i];
        const input = product
          ? { name: `Demo · ${product.title}`.slice(0, 120), productId: product.id }
          : fallback;
        const { campaign } = await campaigns.create(m, userId, input);
        made.push({ id: campaign.id, name: campaign.name, trackingId: campaign.trackingId });
        say(`campaign: ${campaign.name}`);
      }
      return fillDemoAnalytics(deps.db, { teamId: m.teamId, userId, campaigns: made, ...opts, say });
    },
  };
}

export type DemoDataService = ReturnType<typeof createDemoDataService>;
