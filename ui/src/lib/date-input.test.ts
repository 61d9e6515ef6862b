import { isoToLocal, localToIso } from './date-input';

describe('date-time fields in a named zone', () => {
  it('reads a wall-clock time in the zone, summer and winter', () => {
    expect(localToIso('2026-07-01T09:30', 'Europe/Berlin')).toBe('2026-07-01T07:30:00.000Z');
    expect(localToIso('2026-12-24T09:30', 'Europe/Berlin')).toBe('2026-12-24T08:30:00.000Z');
    expect(localToIso('2026-12-24T09:30', 'America/New_York')).toBe('2026-12-24T14:30:00.000Z');
  });
  it('shows an instant as the zone wall clock', () => {
    expect(isoToLocal('2026-12-24T08:30:00.000Z', 'Europe/Berlin')).toBe('2026-12-24T09:30');
    expect(isoToLocal('2026-12-24T14:30:00Z', 'America/New_York')).toBe('2026-12-24T09:30');
  });
  it('round-trips and refuses what is not a date', () => {
    const iso = localToIso('2027-03-28T02:30', 'Europe/London');
    expect(iso).not.toBeNull();
    expect(localToIso('', 'UTC')).toBeNull();
    expect(localToIso('tomorrow', 'UTC')).toBeNull();
    expect(isoToLocal('not a date', 'UTC')).toBe('');
    expect(isoToLocal(null, 'UTC')).toBe('');
  });
});
