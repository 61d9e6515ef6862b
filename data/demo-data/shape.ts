import { DateTime } from 'luxon';
import type { ClickDimensions, Device } from '../analytics';
import type { DemoRandom } from './random';

/** A demo campaign's character: how busy it is, how well it sells, how its sales behave afterwards. */
export interface DemoProfile {
  /** People's clicks on an average weekday at the end of the 90 days. */
  clicksPerDay: number;
  /** Share of people's clicks that buy. */
  conversion: number;
  /** Commission of a first sale, in the account currency. */
  payout: number;
  /** Commission of a rebill (0: not a subscription). */
  rebillPayout: number;
  refundRate: number;
  /** How the clicks split over the link sources. */
  sources: Record<DemoSource, number>;
}

export const DEMO_SOURCES = ['direct', 'youtube', 'newsletter', 'facebook'] as const;
export type DemoSource = (typeof DEMO_SOURCES)[number];

/** Four campaigns that differ the way real ones do: a video-led winner, an email list, paid ads, a slow starter. */
export const DEMO_PROFILES: readonly DemoProfile[] = [
  {
    clicksPerDay: 70,
    conversion: 0.032,
    payout: 41.5,
    rebillPayout: 0,
    refundRate: 0.07,
    sources: { direct: 0.15, youtube: 0.55, newsletter: 0.15, facebook: 0.15 },
  },
  {
    clicksPerDay: 38,
    conversion: 0.045,
    payout: 29.9,
    rebillPayout: 24.5,
    refundRate: 0.05,
    sources: { direct: 0.2, youtube: 0.1, newsletter: 0.6, facebook: 0.1 },
  },
  {
    clicksPerDay: 46,
    conversion: 0.018,
    payout: 58,
    rebillPayout: 0,
    refundRate: 0.11,
    sources: { direct: 0.1, youtube: 0.1, newsletter: 0.05, facebook: 0.75 },
  },
  {
    clicksPerDay: 14,
    conversion: 0.025,
    payout: 36,
    rebillPayout: 19.9,
    refundRate: 0.06,
    sources: { direct: 0.5, youtube: 0.2, newsletter: 0.2, facebook: 0.1 },
  },
];

/** Sunday first, as Luxon's weekday % 7: weekends are quieter, Monday and Tuesday busiest. */
const WEEKDAY = [0.72, 1.12, 1.1, 1.02, 0.98, 0.9, 0.76];
/** Evening peak in the team's own time. */
const HOURS = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 1.8, 2.4, 2.6, 2.7, 2.8, 3, 2.9, 2.8, 2.8, 3, 3.3, 3.8, 4.4, 4.6, 4.2, 3,
  1.8,
];
const HOUR_CHOICES = HOURS.map((w, h) => [h, w] as const);

/** How many people's clicks campaign `profile` gets on `day` (index `i` of `days` days): growth, rhythm, a hit. */
export function clicksOnDay(
  r: DemoRandom,
  profile: DemoProfile,
  day: DateTime,
  i: number,
  days: number,
): number {
  const growth = 0.45 + 0.55 * (i / Math.max(1, days - 1));
  // A video that took off three weeks ago, fading over a week (the video-led campaign only).
  const sinceHit = i - (days - 22);
  const hit =
    profile.sources.youtube > 0.5 && sinceHit >= 0 && sinceHit < 7 ? 1 + 2.2 * (1 - sinceHit / 7) : 1;
  return r.count(profile.clicksPerDay * growth * WEEKDAY[day.weekday % 7]! * hit);
}

/** When in the day (team time zone) a click happens. */
export function clickTime(r: DemoRandom, day: DateTime): DateTime {
  return day.plus({ hours: r.pick(HOUR_CHOICES), minutes: r.int(0, 59), seconds: r.int(0, 59) });
}

const DEVICES: readonly (readonly [Device, number])[] = [
  ['mobile', 56],
  ['desktop', 36],
  ['tablet', 7],
  ['other', 1],
];
const BROWSERS: Record<Device, readonly (readonly [string, number])[]> = {
  mobile: [
    ['Chrome', 48],
    ['Safari', 40],
    ['Samsung Internet for Android', 8],
    ['Firefox', 2],
    ['Facebook', 2],
  ],
  desktop: [
    ['Chrome', 62],
    ['Microsoft Edge', 14],
    ['Safari', 12],
    ['Firefox', 10],
    ['Opera', 2],
  ],
  tablet: [
    ['Safari', 60],
    ['Chrome', 40],
  ],
  other: [['Chrome', 1]],
};
const COUNTRIES: readonly (readonly [string | null, number])[] = [
  ['US', 46],
  ['GB', 12],
  ['CA', 9],
  ['AU', 7],
  ['IN', 6],
  ['DE', 4],
  ['NZ', 2],
  ['IE', 2],
  ['ZA', 2],
  ['PH', 2],
  [null, 8],
];
const REFERRERS: Record<DemoSource, readonly (readonly [string | null, number])[]> = {
  direct: [
    ['google.com', 40],
    ['bing.com', 8],
    ['duckduckgo.com', 5],
    ['reddit.com', 6],
    ['pinterest.com', 4],
    [null, 37],
  ],
  youtube: [
    ['youtube.com', 72],
    ['m.youtube.com', 18],
    [null, 10],
  ],
  newsletter: [
    ['mail.google.com', 28],
    ['outlook.live.com', 10],
    [null, 62],
  ],
  facebook: [
    ['l.facebook.com', 55],
    ['lm.facebook.com', 35],
    ['instagram.com', 10],
  ],
};
/** Sub-ids as marketers use them: which video, which ad and audience, which newsletter issue. */
function subIds(
  r: DemoRandom,
  source: DemoSource,
  day: DateTime,
): Pick<ClickDimensions, 'sub1' | 'sub2' | 'sub3'> {
  switch (source) {
    case 'youtube':
      return {
        sub1: r.pick([
          ['honest-review', 50],
          ['top-5-picks', 30],
          ['shorts-demo', 20],
        ]),
        sub2: null,
        sub3: null,
      };
    case 'facebook':
      return {
        sub1: r.pick([
          ['ad-carousel', 45],
          ['ad-video', 35],
          ['ad-story', 20],
        ]),
        sub2: r.pick([
          ['lookalike-1pct', 50],
          ['interest-fitness', 30],
          ['retargeting', 20],
        ]),
        sub3: r.chance(0.5) ? 'us-25-44' : 'us-45-64',
      };
    case 'newsletter':
      return { sub1: `issue-${day.toFormat('yyyy-WW')}`, sub2: null, sub3: null };
    default:
      return { sub1: r.chance(0.3) ? 'blog-sidebar' : null, sub2: null, sub3: null };
  }
}

/** The dimensions of one person's click on a link with `source`. */
export function clickDimensions(
  r: DemoRandom,
  source: DemoSource,
  linkId: string,
  day: DateTime,
): ClickDimensions {
  const device = r.pick(DEVICES);
  return {
    linkId,
    source,
    ...subIds(r, source, day),
    device,
    browser: r.pick(BROWSERS[device]),
    country: r.pick(COUNTRIES),
    referrerHost: r.pick(REFERRERS[source]),
  };
}

/** Why a request is not a person's click, in the redirect's words: a known bot or previewer, a HEAD, no user agent. */
export const BOT_REASONS: readonly (readonly [string, number])[] = [
  ['bot', 65],
  ['head', 25],
  ['no_user_agent', 10],
];

/** How long after the click a buyer buys: most within the hour, a few days later for the rest. */
export function saleDelayMinutes(r: DemoRandom): number {
  const p = r.next();
  if (p < 0.68) return r.int(2, 60);
  if (p < 0.93) return r.int(61, 3 * 24 * 60);
  return r.int(3 * 24 * 60, 14 * 24 * 60);
}
