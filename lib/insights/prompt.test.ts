import { dueZones, usableZone } from '../time-zones';
import { figureLines, insightPrompt, type InsightFigures } from './prompt';

describe('which teams are at 03:00 (dueZones)', () => {
  const due = (zones: string[], iso: string) => Object.fromEntries(dueZones(zones, new Date(iso), 3));

  it('picks the zones whose local hour is 3 and gives each its local yesterday', () => {
    expect(due(['UTC', 'America/New_York', 'Asia/Tokyo'], '2026-11-26T08:00:00Z')).toEqual({
      'America/New_York': { day: '2026-11-25', zone: 'America/New_York' },
    });
    expect(due(['UTC', 'Asia/Tokyo'], '2026-11-25T18:00:00Z')).toEqual({
      // 03:00 on the 26th in Tokyo: yesterday is the 25th there, although it is still the 25th in UTC.
      'Asia/Tokyo': { day: '2026-11-25', zone: 'Asia/Tokyo' },
    });
  });

  it('follows daylight saving time: New York is 03:00 at 07:00 UTC in summer and 08:00 UTC in winter', () => {
    expect(due(['America/New_York'], '2026-07-15T07:00:00Z')).toHaveProperty('America/New_York');
    expect(due(['America/New_York'], '2026-07-15T08:00:00Z')).toEqual({});
    expect(due(['America/New_York'], '2026-01-15T08:00:00Z')).toHaveProperty('America/New_York');
  });

  it('reaches half-hour zones at 03:30 local on the hourly run', () => {
    expect(due(['Asia/Kolkata'], '2026-11-25T22:00:00Z')).toEqual({
      'Asia/Kolkata': { day: '2026-11-25', zone: 'Asia/Kolkata' },
    });
  });

  it('treats an unknown zone as UTC instead of failing the night', () => {
    expect(usableZone('Mars/Olympus')).toBe('UTC');
    expect(due(['Mars/Olympus'], '2026-11-26T03:00:00Z')).toEqual({
      'Mars/Olympus': { day: '2026-11-25', zone: 'UTC' },
    });
  });
});

describe('the insight prompt', () => {
  const figures: InsightFigures = {
    day: '2026-11-25',
    timeZone: 'UTC',
    totals: { clicks: 12, sales: 2, refunds: 1, revenue: 50.5 },
    campaigns: [{ campaignId: null, name: 'Keto', clicks: 12, sales: 2, refunds: 1, revenue: 50.5 }],
  };

  it('puts the totals first and lists every campaign', () => {
    const { prompt, system } = insightPrompt(figures);
    expect(prompt.split('\n')[0]).toBe(
      'Totals 12 clicks, 2 sales, 1 refunds, 50.50 revenue on 2026-11-25 (UTC).',
    );
    expect(prompt).toContain('- Keto: 12 clicks, 2 sales, 1 refunds, 50.50 revenue');
    expect(system).toContain('Never invent numbers');
    expect(figureLines(figures)).toEqual(['Keto: 12 clicks, 2 sales, 1 refunds, 50.50 revenue']);
  });
});
