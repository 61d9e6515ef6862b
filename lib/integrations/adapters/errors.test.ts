import { ApplicationFailure } from '@temporalio/common';
import {
  IntegrationError,
  fromHttpStatus,
  fromNetworkError,
  notConnected,
  parseRetryAfter,
  toActivityFailure,
} from './errors';

describe('fromHttpStatus', () => {
  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'not_found', false],
    [408, 'timeout', true],
    [409, 'invalid', false],
    [422, 'invalid', false],
    [406, 'invalid', false],
    [429, 'rate_limited', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
    [529, 'unavailable', true],
  ] as const)('maps %i to %s (retryable %s)', (status, kind, retryable) => {
    const err = fromHttpStatus('anthropic', status, '');
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
  });

  it('reads retry-after and the provider message/code from common body shapes', () => {
    const anthropic = fromHttpStatus(
      'anthropic',
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } },
      { 'Retry-After': '7' },
    );
    expect(anthropic.retryAfterSeconds).toBe(7);
    expect(anthropic.providerCode).toBe('rate_limit_error');
    expect(anthropic.message).toContain('Slow down');

    const postmark = fromHttpStatus(
      'postmark',
      422,
      JSON.stringify({ ErrorCode: 300, Message: 'Invalid email' }),
    );
    expect(postmark.providerCode).toBe(300);
    expect(postmark.plainMessage).toContain('Invalid email');

    const fetchHeaders = new Headers({ 'retry-after-ms': '1500' });
    expect(fromHttpStatus('stripe', 429, undefined, fetchHeaders).retryAfterSeconds).toBe(1.5);
  });

  it('lets a provider override the mapping', () => {
    const err = fromHttpStatus(
      'postmark',
      422,
      { ErrorCode: 406, Message: 'Inactive recipient' },
      {},
      (ctx) =>
        ctx.providerCode === 406 ? { kind: 'invalid', plainMessage: 'Recipient is suppressed' } : undefined,
    );
    expect(err.plainMessage).toBe('Recipient is suppressed');
    expect(err.retryable).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('accepts an HTTP date', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30);
    expect(parseRetryAfter({ 'retry-after': 'garbage' }, now)).toBeUndefined();
  });
});

describe('fromNetworkError', () => {
  it('maps refused connections to unavailable and aborts to timeout', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    const a = fromNetworkError('wordpress', refused);
    expect(a.kind).toBe('unavailable');
    expect(a.providerCode).toBe('ECONNREFUSED');
    expect(a.retryable).toBe(true);
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(fromNetworkError('wordpress', timeout).kind).toBe('timeout');
  });
});

describe('toActivityFailure', () => {
  it('makes permanent errors non-retryable with a typed failure', () => {
    const failure = toActivityFailure(fromHttpStatus('clickbank', 403, ''));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('clickbank.auth');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details?.[0]).toMatchObject({ provider: 'clickbank', kind: 'auth', status: 403 });
  });

  it('keeps transient errors retryable with nextRetryDelay from retry-after', () => {
    const failure = toActivityFailure(fromHttpStatus('anthropic', 429, '', { 'retry-after': '3' }));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(3000);
    expect(failure.message).toContain('Claude');
  });

  it('passes other errors through and has a not_connected message', () => {
    const plain = new Error('boom');
    expect(toActivityFailure(plain)).toBe(plain);
    const nc = notConnected('postmark');
    expect(nc.retryable).toBe(false);
    expect(nc.plainMessage).toMatch(/Settings → Integrations/);
  });
});
