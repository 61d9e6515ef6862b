import fc from 'fast-check';
import {
  clickTid,
  encodeClickId,
  splitClickTid,
  CLICK_ID_LIMIT,
  TID_MAX_LENGTH,
} from '../../lib/analytics/tid';
import { makeTrackingId } from './campaigns';

describe('makeTrackingId', () => {
  it('makes, from any name, a tid that is a valid click prefix: a click tid fits 24 letters and digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.integer({ min: 0, max: CLICK_ID_LIMIT - 1 }),
        (name, n) => {
          const tid = makeTrackingId(name);
          expect(tid).toMatch(/^[a-z0-9]{7,16}$/);
          const full = clickTid(tid, encodeClickId(n));
          expect(full.length).toBeLessThanOrEqual(TID_MAX_LENGTH);
          // ClickBank may send it back upper case: it still splits into this prefix and click id.
          expect(splitClickTid(full.toUpperCase())).toEqual({ prefix: tid, clickId: encodeClickId(n) });
        },
      ),
    );
  });

  it('keeps up to 10 letters and digits of the name, readable', () => {
    expect(makeTrackingId('Summer Fitness Push!')).toMatch(/^summerfitn[a-z0-9]{6}$/);
    expect(makeTrackingId('Ünïcode & Ñame')).toMatch(/^unicodenam[a-z0-9]{6}$/);
    expect(makeTrackingId('!!!')).toMatch(/^cmp[a-z0-9]{6}$/);
  });
});
