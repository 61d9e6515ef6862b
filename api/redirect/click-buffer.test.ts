import pino from 'pino';
import type { ClickRecord } from '../../data/analytics';
import { createClickBuffer } from './click-buffer';

const click = (teamId: string, n: number): ClickRecord => ({
  teamId,
  campaignId: `campaign-${teamId}`,
  linkId: `link-${teamId}`,
  clickId: n.toString(36).padStart(8, '0'),
  occurredAt: new Date(),
  day: '2026-12-07',
  visitorKey: `visitor-${n}`,
  botReason: null,
  source: 'direct',
  sub1: null,
  sub2: null,
  sub3: null,
  device: 'desktop',
  browser: 'Chrome',
  country: null,
  referrerHost: null,
});

describe('click buffer', () => {
  it("keeps one team's flood to its share while the database is away, so other teams' clicks are still held", async () => {
    let databaseUp = false;
    const stored: ClickRecord[] = [];
    const buffer = createClickBuffer({
      write: (clicks) => {
        if (!databaseUp) return Promise.reject(new Error('connection refused'));
        stored.push(...clicks);
        return Promise.resolve();
      },
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
      batchSize: 100,
      max: 10,
    });
    for (let i = 0; i < 10; i++) buffer.push(click('flood', i));
    for (let i = 0; i < 2; i++) buffer.push(click('quiet', 100 + i));
    await expect(buffer.flush()).rejects.toThrow('connection refused');
    // 80% of the buffer for the flooding team; the quiet team's clicks are all held.
    expect(buffer.stats()).toEqual({ pending: 10, written: 0, dropped: 2 });

    databaseUp = true;
    await buffer.close();
    expect(buffer.stats()).toEqual({ pending: 0, written: 10, dropped: 2 });
    expect(stored.filter((c) => c.teamId === 'quiet')).toHaveLength(2);
    expect(stored.filter((c) => c.teamId === 'flood')).toHaveLength(8);
  });

  it('counts a team again from zero once its held clicks are written', async () => {
    const buffer = createClickBuffer({
      write: () => Promise.resolve(),
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
      batchSize: 100,
      max: 4,
    });
    for (let round = 0; round < 3; round++) {
      buffer.push(click('one', round * 2));
      buffer.push(click('one', round * 2 + 1));
      await buffer.flush();
    }
    expect(buffer.stats()).toEqual({ pending: 0, written: 6, dropped: 0 });
    await buffer.close();
  });
});
