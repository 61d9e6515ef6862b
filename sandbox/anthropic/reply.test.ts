import { findFailure } from './failures';
import { complete, composeReply, promptKeywords, tokenize } from './reply';

describe('sandbox reply', () => {
  it('is deterministic and echoes the prompt keywords', () => {
    const a = composeReply('Review of solar garden lights', 'seed-1');
    expect(composeReply('Review of solar garden lights', 'seed-1')).toBe(a);
    expect(a).toMatch(/solar/);
    expect(a).toMatch(/garden/);
    expect(promptKeywords('Write about the best keto recipes, please')).toEqual(['best', 'keto', 'recipes']);
  });

  it('cuts at max_tokens and at stop sequences, saying why', () => {
    const text = 'one two three four five';
    expect(tokenize(text).join('')).toBe(text);
    expect(complete(text, 2)).toMatchObject({ text: 'one two ', stopReason: 'max_tokens', outputTokens: 2 });
    expect(complete(text, 10, ['four'])).toMatchObject({
      text: 'one two three ',
      stopReason: 'stop_sequence',
    });
    expect(complete(text, 10)).toMatchObject({ stopReason: 'end_turn', outputTokens: 5 });
  });
});

describe('sandbox failure markers', () => {
  it('fails every attempt, or only the first ones for fail-once/fail-twice', () => {
    expect(findFailure('x [sandbox:529]', 5, false)).toMatchObject({
      kind: 'status',
      status: 529,
      limited: false,
    });
    expect(findFailure('x [sandbox:fail-once:429]', 0, false)).toMatchObject({ status: 429, limited: true });
    expect(findFailure('x [sandbox:fail-once:429]', 1, false)).toBeUndefined();
    expect(findFailure('x [sandbox:fail-twice:500]', 1, true)).toMatchObject({ status: 500 });
    expect(findFailure('x [sandbox:error-mid-stream]', 0, true)).toMatchObject({ kind: 'mid-stream' });
    expect(findFailure('x [sandbox:error-mid-stream]', 0, false)).toBeUndefined();
    expect(findFailure('no marker', 0, true)).toBeUndefined();
  });
});
