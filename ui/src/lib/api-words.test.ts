import { detailField, plainMessage, splitApiError } from './api-words';

describe('API answers in words', () => {
  it('rewrites developer messages for people', () => {
    expect(plainMessage('publishAt must be in the future')).toBe('Pick a time in the future');
    expect(plainMessage('Too big: expected string to have <=120 characters')).toBe(
      'Use at most 120 characters',
    );
    expect(plainMessage('Temporal is not reachable right now; try again shortly', 503)).not.toMatch(
      /Temporal/,
    );
    expect(plainMessage('connection reset', 502)).toBe(
      'Something went wrong on our side. Try again in a moment.',
    );
    expect(plainMessage('This person is already a member')).toBe('This person is already a member');
  });

  it('maps detail paths to the field at fault', () => {
    expect(detailField('name')).toBe('name');
    expect(detailField('body.email')).toBe('email');
    expect(detailField('steps.1.subject')).toBe('subject');
    expect(detailField('params.teamId')).toBe('teamId');
  });

  it('shows each problem once: at its field, or in the banner, never the generic message', () => {
    const details = [
      { path: 'name', message: 'At most 120 characters' },
      { path: 'sendAt', message: 'sendAt must be in the future' },
    ];
    expect(splitApiError('The request is not valid', details, ['name', 'sendAt'])).toEqual({
      fieldErrors: { name: 'At most 120 characters', sendAt: 'Pick a time in the future' },
      message: null,
    });
    expect(splitApiError('The request is not valid', details, ['name'])).toEqual({
      fieldErrors: { name: 'At most 120 characters' },
      message: 'Send at: Pick a time in the future',
    });
    expect(splitApiError('The request is not valid', [], ['name']).message).not.toMatch(/not valid/);
    expect(splitApiError('Campaign not found', [], ['name'], 404).message).toBe('Campaign not found');
  });
});
