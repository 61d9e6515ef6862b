/**
 * Deterministic ClickBank marketplace feed: `marketplace_feed_v2.xml` inside a zip, the way ClickBank
 * serves it. Same seed, same bytes (fixed zip mtime), so tests can assert on it.
 */
import yazl from 'yazl';
import { MARKETPLACE_CATEGORIES } from './categories';
import { seededRandom, type Random } from './random';

export const FEED_ENTRY_NAME = 'marketplace_feed_v2.xml';
export const DEFAULT_SITE_COUNT = 5200;

export interface GeneratedSite {
  id: string;
  title: string;
  description: string;
  activateDate: string;
  popularityRank: number;
  commission: number;
  hasRecurringProducts: boolean;
  gravity: number;
  initialEarningsPerSale: number;
  averageEarningsPerSale: number;
  totalRebillAmt: number;
  referred: number;
  percentPerRebill: number;
  percentPerSale: number;
}

export interface GeneratedCategory {
  name: string;
  sites: GeneratedSite[];
  subcategories: GeneratedCategory[];
}

const titleOpeners = [
  'The',
  'Ultimate',
  'Secret',
  'Complete',
  'Simple',
  'Natural',
  'Advanced',
  'Rapid',
  'Easy',
];
const titleClosers = [
  'System',
  'Blueprint',
  'Formula',
  'Guide',
  'Method',
  'Masterclass',
  'Protocol',
  'Program',
  'Kit',
];
const pitches = [
  'High converting VSL with mobile-optimized order form.',
  'New offer: upsells and bump, strong affiliate support.',
  'Evergreen product with email swipes and banners for affiliates.',
  'Top converting funnel, generous commissions on every upsell.',
  'Proven offer with recurring revenue and a 60-day guarantee.',
];
const nicknameSyllables = [
  'ka',
  'lo',
  'mi',
  'ra',
  'te',
  'vo',
  'zen',
  'fit',
  'pro',
  'max',
  'go',
  'bio',
  'sun',
  'neo',
];

const round = (value: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** Gravity is heavy-tailed (Pareto): median about 1, one in ten above 5, a handful in the hundreds (max 500). */
function gravity(rng: Random): number {
  const g = 0.5 / (1 - rng.next()) ** 1.05 - 0.4;
  return round(g <= 500 ? g : 300 + rng.next() * 200, 4);
}

function makeSite(rng: Random, topic: string, index: number, usedIds: Set<string>): GeneratedSite {
  let id = '';
  do {
    id = `${rng.pick(nicknameSyllables)}${rng.pick(nicknameSyllables)}${(index * 7 + rng.int(0, 99)).toString(36)}`;
  } while (usedIds.has(id));
  usedIds.add(id);
  const recurring = rng.chance(0.22);
  const percentPerSale = rng.pick([50, 60, 65, 70, 75, 75, 75, 80, 90]);
  const initial = round(5 * Math.exp(rng.next() * Math.log(40)), 4); // USD 5-200, log-uniform
  const percentPerRebill = recurring ? rng.pick([40, 50, 50, 60, 75]) : 0;
  const totalRebillAmt = recurring ? round(10 + rng.next() * 140, 4) : 0;
  const average = round(
    recurring ? initial + totalRebillAmt * rng.next() * 0.5 : initial * (0.9 + rng.next() * 0.4),
    4,
  );
  const year = rng.int(2005, 2024);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  return {
    id,
    title: `${rng.pick(titleOpeners)} ${topic} ${rng.pick(titleClosers)}`,
    description: `${rng.pick(pitches)} ${topic} buyers convert well & refunds stay low.`,
    activateDate: `${year}-${month}-${day}`,
    popularityRank: 0,
    commission: percentPerSale,
    hasRecurringProducts: recurring,
    gravity: gravity(rng),
    initialEarningsPerSale: initial,
    averageEarningsPerSale: Math.min(200, Math.max(5, average)),
    totalRebillAmt,
    referred: round(rng.next() * 90, 1),
    percentPerRebill,
    percentPerSale,
  };
}

/** Builds the catalog tree: categories, subcategories and at least `siteCount` sites. */
export function generateCatalog(siteCount = DEFAULT_SITE_COUNT, seed = 20240601): GeneratedCategory[] {
  const rng = seededRandom(seed);
  const totalWeight = MARKETPLACE_CATEGORIES.reduce((sum, c) => sum + c.weight, 0);
  const usedIds = new Set<string>();
  let index = 0;
  return MARKETPLACE_CATEGORIES.map((def) => {
    const count = Math.ceil((siteCount * def.weight) / totalWeight);
    const subcategories: GeneratedCategory[] = def.subcategories.map((name) => ({
      name,
      sites: [],
      subcategories: [],
    }));
    for (let i = 0; i < count; i++) {
      const sub = rng.pick(subcategories);
      sub.sites.push(makeSite(rng, rng.pick(def.topics), index++, usedIds));
    }
    for (const sub of subcategories) {
      // ClickBank ranks products by popularity within the category listing.
      [...sub.sites]
        .sort((a, b) => b.gravity - a.gravity)
        .forEach((site, i) => (site.popularityRank = i + 1));
    }
    return { name: def.name, sites: [], subcategories };
  });
}

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

function siteXml(site: GeneratedSite): string {
  return (
    `<Site><Id>${escapeXml(site.id)}</Id><PopularityRank>${site.popularityRank}</PopularityRank>` +
    `<Title>${escapeXml(site.title)}</Title><Description>${escapeXml(site.description)}</Description>` +
    `<HasRecurringProducts>${site.hasRecurringProducts}</HasRecurringProducts><Gravity>${site.gravity}</Gravity>` +
    `<PercentPerSale>${site.percentPerSale.toFixed(1)}</PercentPerSale>` +
    `<PercentPerRebill>${site.percentPerRebill.toFixed(1)}</PercentPerRebill>` +
    `<AverageEarningsPerSale>${site.averageEarningsPerSale}</AverageEarningsPerSale>` +
    `<InitialEarningsPerSale>${site.initialEarningsPerSale}</InitialEarningsPerSale>` +
    `<TotalRebillAmt>${site.totalRebillAmt}</TotalRebillAmt><Referred>${site.referred.toFixed(1)}</Referred>` +
    `<Commission>${site.commission}</Commission><ActivateDate>${site.activateDate}</ActivateDate></Site>\n`
  );
}

function categoryXml(category: GeneratedCategory, out: string[]): void {
  out.push(`<Category><Name>${escapeXml(category.name)}</Name>\n`);
  for (const site of category.sites) out.push(siteXml(site));
  for (const sub of category.subcategories) categoryXml(sub, out);
  out.push('</Category>\n');
}

export function catalogXml(catalog: GeneratedCategory[]): Buffer {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<Catalog>\n'];
  for (const category of catalog) categoryXml(category, out);
  out.push('</Catalog>\n');
  return Buffer.from(out.join(''), 'utf8');
}

export const countSites = (catalog: GeneratedCategory[]): number =>
  catalog.reduce((sum, c) => sum + c.sites.length + countSites(c.subcategories), 0);

/** Zips the XML with a fixed mtime so the bytes are reproducible. */
export function zipFeed(xml: Buffer): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(xml, FEED_ENTRY_NAME, { mtime: new Date('2024-06-01T00:00:00Z'), compress: true });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export interface MarketplaceFeed {
  zip: Buffer;
  siteCount: number;
  xmlBytes: number;
}

const cache = new Map<string, Promise<MarketplaceFeed>>();

/** The feed zip, generated once per process (per site count/seed). */
export function getMarketplaceFeed(
  siteCount = DEFAULT_SITE_COUNT,
  seed = 20240601,
): Promise<MarketplaceFeed> {
  const key = `${siteCount}:${seed}`;
  let feed = cache.get(key);
  if (!feed) {
    feed = (async () => {
      const catalog = generateCatalog(siteCount, seed);
      const xml = catalogXml(catalog);
      return { zip: await zipFeed(xml), siteCount: countSites(catalog), xmlBytes: xml.length };
    })();
    cache.set(key, feed);
  }
  return feed;
}
