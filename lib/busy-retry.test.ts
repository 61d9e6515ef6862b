import { isBusy, retryAfterSeconds, sendUntilNotBusy } from './busy-retry';

const answer = (status: number, retryAfter?: string) =>
  new Response(JSON.stringify({ status }), {
    status,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  });

function scripted(answers: Response[]) {
  const waits: number[] = [];
  let calls = 0;
  const send = () => {
    calls++;
    const next = answers.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error('no more answers'));
  };
  return {
    send,
    waits,
    calls: () => calls,
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

describe('sendUntilNotBusy (the UI import sends a piece again while the team is busy)', () => {
  it('waits Retry-After after a 429 team_busy and sends again until answered', async () => {
    const s = scripted([answer(429, '3'), answer(429, '1'), answer(200)]);
    const res = await sendUntilNotBusy(s.send, { sleep: s.sleep });
    expect(res.status).toBe(200);
    expect(s.waits).toEqual([3000, 1000]);
    expect(s.calls()).toBe(3);
  });

  it('gives up after the last try and hands back the busy answer', async () => {
    const s = scripted(Array.from({ length: 5 }, () => answer(429, '1')));
    const res = await sendUntilNotBusy(s.send, { sleep: s.sleep, attempts: 5 });
    expect(res.status).toBe(429);
    expect(isBusy(res)).toBe(true);
    expect(s.waits).toHaveLength(4);
  });

  it('never sends again an answer about the request itself (400, 413, 500, 503 without Retry-After)', async () => {
    for (const status of [400, 413, 500, 503]) {
      const s = scripted([answer(status)]);
      expect((await sendUntilNotBusy(s.send, { sleep: s.sleep })).status).toBe(status);
      expect(s.calls()).toBe(1);
    }
    const s = scripted([answer(503, '2'), answer(200)]);
    expect((await sendUntilNotBusy(s.send, { sleep: s.sleep })).status).toBe(200);
    expect(s.waits).toEqual([2000]);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds or a date, and keeps the wait between 1 and 30 seconds', () => {
    expect(retryAfterSeconds('5')).toBe(5);
    expect(retryAfterSeconds('0')).toBe(1);
    expect(retryAfterSeconds('600')).toBe(30);
    expect(retryAfterSeconds(null)).toBe(2);
    expect(retryAfterSeconds('soon')).toBe(2);
    const now = Date.parse('2026-12-06T21:00:00Z');
    expect(retryAfterSeconds('Sun, 06 Dec 2026 21:00:07 GMT', now)).toBe(7);
  });
});
