/** What the analytics rollups break figures down by, besides the campaign itself ('all'). */
export const DIMENSIONS = [
  'link',
  'source',
  'sub1',
  'sub2',
  'sub3',
  'device',
  'browser',
  'country',
  'referrer',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Which day a sale counts on: `sale`, the day it happened; `click`, the day of the click it came from (a sale
 * without a known click counts on its own day). Clicks count on their own day in both.
 */
export const BASES = ['sale', 'click'] as const;
export type Basis = (typeof BASES)[number];

/** Device classes a click is sorted into. */
export const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export type Device = (typeof DEVICES)[number];

/** The dimension values of one click (null: not known, e.g. no referrer); a sale copies its click's. */
export interface ClickDimensions {
  linkId: string | null;
  source: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  device: Device | null;
  browser: string | null;
  country: string | null;
  referrerHost: string | null;
}

export const dimensionValue = (d: ClickDimensions, dimension: Dimension): string => {
  const v = dimension === 'link' ? d.linkId : dimension === 'referrer' ? d.referrerHost : d[dimension];
  return v ?? '';
};
