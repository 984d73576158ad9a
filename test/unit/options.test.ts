import { afterEach, describe, expect, it, vi } from 'vitest';
import { LetterError } from '../../src/errors.js';
import { batchEndpoint, resolveOptions } from '../../src/options.js';

const apiKey = 'lt_test_secret123';

function configError(run: () => unknown): LetterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LetterError);
    expect((error as LetterError).code).toBe('config');
    return error as LetterError;
  }
  throw new Error('expected a config error');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('batchEndpoint', () => {
  it.each([
    ['https://api.letter.app', 'https://api.letter.app/v1/batch'],
    ['https://api.letter.app/', 'https://api.letter.app/v1/batch'],
    ['https://letter.internal/ingest', 'https://letter.internal/ingest/v1/batch'],
    ['https://letter.internal/ingest/', 'https://letter.internal/ingest/v1/batch'],
    ['https://letter.internal/ingest//', 'https://letter.internal/ingest/v1/batch'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/v1/batch'],
  ])('%s → %s', (baseUrl, endpoint) => {
    expect(batchEndpoint(baseUrl)).toBe(endpoint);
  });

  it.each([['not a url'], ['ftp://example.com'], ['/v1'], ['https://user:pw@example.com'], ['https://example.com/?x=1']])(
    'refuses %j',
    (baseUrl) => {
      expect(configError(() => batchEndpoint(baseUrl)).message).toMatch(/`baseUrl`/);
    },
  );
});

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    vi.stubEnv('LETTER_BASE_URL', '');
    const options = resolveOptions({ apiKey });
    expect(options).toMatchObject({
      endpoint: 'https://api.letter.app/v1/batch',
      flushAt: 50,
      flushIntervalMs: 100,
      maxRetries: 3,
      timeoutMs: 10_000,
      maxQueueBytes: 64 * 1024 * 1024,
    });
    expect(options.fetch).toBe(globalThis.fetch);
  });

  it('reads LETTER_API_KEY and LETTER_BASE_URL from the environment', () => {
    vi.stubEnv('LETTER_API_KEY', 'lt_live_fromenv');
    vi.stubEnv('LETTER_BASE_URL', 'https://letter.internal/ingest/');
    const options = resolveOptions();
    expect(options.authorization).toBe('Bearer lt_live_fromenv');
    expect(options.endpoint).toBe('https://letter.internal/ingest/v1/batch');
  });

  it.each([
    [{}, /`apiKey` is required/],
    [{ apiKey: '' }, /`apiKey` is required/],
    [{ apiKey: 'lt_test_ abc' }, /`apiKey` contains whitespace/],
    [{ apiKey: 'lt_test_abc\n' }, /`apiKey` contains whitespace/],
    [{ apiKey: 'lt_test_\u0000abc' }, /`apiKey` contains whitespace or control/],
    [{ apiKey: 42 }, /`apiKey` to be a string/],
    [{ apiKey, flushAt: 0 }, /Expected `flushAt` to be an integer >= 1, got `0`/],
    [{ apiKey, flushAt: 1.5 }, /`flushAt`.*got `1.5`/],
    [{ apiKey, flushAt: '10' }, /`flushAt`.*got `"10"`/],
    [{ apiKey, flushInterval: -1 }, /`flushInterval`/],
    [{ apiKey, flushInterval: Number.NaN }, /`flushInterval`/],
    [{ apiKey, maxRetries: -1 }, /`maxRetries`/],
    [{ apiKey, maxRetries: 2.5 }, /`maxRetries`/],
    [{ apiKey, timeout: 0 }, /`timeout`/],
    [{ apiKey, timeout: 2 ** 31 }, /Expected `timeout` to be a number of milliseconds from 1 to 2147483647, or Infinity for no limit, got `2147483648`/],
    [{ apiKey, timeout: Number.MAX_SAFE_INTEGER }, /`timeout`/],
    [{ apiKey, flushInterval: 2 ** 31 }, /Expected `flushInterval` to be a number of milliseconds from 0 to 2147483647, got/],
    [{ apiKey, flushInterval: Number.POSITIVE_INFINITY }, /`flushInterval`/],
    [{ apiKey, maxQueueBytes: 1000 }, /Expected `maxQueueBytes` to be an integer >= 1024000/],
    [{ apiKey, maxQueueSize: 10 }, /`maxQueueSize` was replaced by `maxQueueBytes`/],
    [{ apiKey: 'lt_live_…' }, /`apiKey` contains a character that is not printable ASCII/],
    [{ apiKey: 'lt_live_café' }, /not printable ASCII/],
    [{ apiKey, flush_at: 10 }, /Unknown option `flush_at`; did you mean `flushAt`\?/],
    [{ apiKey, timeOut: 10 }, /did you mean `timeout`\?/],
    [{ apiKey, maxRetry: 10 }, /did you mean `maxRetries`\?/],
    [{ apiKey, somethingElse: 10 }, /^Unknown option `somethingElse`$/],
    [{ apiKey, onError: 'log' }, /`onError` to be a function/],
    [{ apiKey, fetch: {} }, /`fetch` to be a function/],
    [{ apiKey, baseUrl: 'nope' }, /`baseUrl`/],
    [{ apiKey, flush_at: 10 }, /Unknown option `flush_at`/],
  ])('%j is refused', (options, message) => {
    vi.stubEnv('LETTER_API_KEY', '');
    const error = configError(() => resolveOptions(options as never));
    expect(error.message).toMatch(message);
  });

  it('never puts the API key in a config error', () => {
    const error = configError(() => resolveOptions({ apiKey: 'lt_test_super secret' }));
    expect(error.message).not.toContain('super');
    expect(JSON.stringify(error)).not.toContain('super');
  });

  it('accepts Infinity as "no deadline" for timeout, and the largest timer delay', () => {
    expect(resolveOptions({ apiKey, timeout: Number.POSITIVE_INFINITY }).timeoutMs).toBe(Number.POSITIVE_INFINITY);
    expect(resolveOptions({ apiKey, timeout: 2 ** 31 - 1 }).timeoutMs).toBe(2 ** 31 - 1);
  });

  it('never echoes a non-ASCII API key in its error', () => {
    const error = configError(() => resolveOptions({ apiKey: 'lt_live_secretpart…' }));
    expect(error.message).not.toContain('secretpart');
  });

  it('accepts flushInterval 0 and maxRetries 0', () => {
    expect(resolveOptions({ apiKey, flushInterval: 0, maxRetries: 0 })).toMatchObject({ flushIntervalMs: 0, maxRetries: 0 });
  });
});
