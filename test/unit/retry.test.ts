import { describe, expect, it } from 'vitest';
import { backoffMs, classifyStatus, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/retry.js';

describe('backoffMs', () => {
  it.each([
    // attempt, random, expected ms: 250 × 2^attempt plus up to 25% jitter
    [0, 0, 250],
    [0, 0.999_999, 312],
    [1, 0, 500],
    [2, 0, 1000],
    [2, 0.5, 1125],
    [3, 1, 2500],
    [20, 0, MAX_BACKOFF_MS],
    [20, 1, MAX_BACKOFF_MS],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const nowMs = Date.parse('2026-11-22T10:15:30.000Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    [' 3 ', 3000],
    ['1.5', 1500],
    ['86400', MAX_RETRY_AFTER_MS],
    ['Sun, 22 Nov 2026 10:16:00 GMT', 30_000],
    ['Sun, 22 Nov 2026 10:15:00 GMT', 0], // in the past: retry now
    ['Mon, 23 Nov 2026 10:15:30 GMT', MAX_RETRY_AFTER_MS],
  ])('%j waits %i ms', (value, expected) => {
    expect(parseRetryAfter(value, nowMs)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['soon'], ['-1'], ['5 seconds'], ['2026-11-22T10:16:00Z'], ['Sun, 99 Nov 2026 10:16:00 GMT']])(
    '%j is not usable, so the caller backs off instead',
    (value) => {
      expect(parseRetryAfter(value, nowMs)).toBeUndefined();
    },
  );
});

describe('classifyStatus', () => {
  it.each([
    [200, 'success'],
    [202, 'success'],
    [204, 'success'],
    [301, 'fail'],
    [302, 'fail'],
    [400, 'fail'],
    [401, 'fail'],
    [403, 'fail'],
    [404, 'fail'],
    [413, 'fail'],
    [429, 'rate_limited'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
  ] as const)('%i → %s', (status, action) => {
    expect(classifyStatus(status)).toBe(action);
  });
});
