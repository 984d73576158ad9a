import { describe, expect, it } from 'vitest';
import { backoffMs, backoffWindowMs, classifyStatus, honoursRetryAfter, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/retry.js';

describe('backoffMs: full jitter', () => {
  it.each([
    // attempt, random, expected ms: a uniform draw from [0, min(30 s, 250 ms × 2^attempt)]
    [0, 0, 0],
    [0, 0.5, 125],
    [0, 1, 250],
    [1, 1, 500],
    [2, 0.25, 250],
    [3, 1, 2000],
    [7, 1, 30_000], // 250 × 2^7 = 32 s, capped
    [20, 0, 0], // the jitter is kept at the cap: still anywhere from 0
    [20, 0.5, 15_000],
    [20, 1, MAX_BACKOFF_MS],
    [5000, 1, MAX_BACKOFF_MS], // 2^5000 overflows to Infinity: still the cap
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 10, 50])('draws at attempt %i cover the whole [0, window] range', (attempt) => {
    const windowMs = backoffWindowMs(attempt);
    expect(windowMs).toBe(Math.min(250 * 2 ** attempt, MAX_BACKOFF_MS));
    // Ten evenly spaced random values land in ten different tenths of the window, ends included.
    const draws = Array.from({ length: 11 }, (_, index) => backoffMs(attempt, () => index / 10));
    expect(draws[0]).toBe(0);
    expect(draws[10]).toBe(windowMs);
    const tenths = new Set(draws.map((draw) => Math.min(9, Math.floor((draw / windowMs) * 10))));
    expect(tenths.size).toBe(10);
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
    [413, 'split'],
    [429, 'rate_limited'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
  ] as const)('%i → %s', (status, action) => {
    expect(classifyStatus(status)).toBe(action);
  });
});

describe('honoursRetryAfter', () => {
  it.each([
    [429, true],
    [503, true],
    [500, false],
    [502, false],
    [504, false],
  ])('%i → %s', (status, expected) => {
    expect(honoursRetryAfter(status)).toBe(expected);
  });
});
