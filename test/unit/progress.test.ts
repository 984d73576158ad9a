import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, describeCounts, duration, Progress, type ImportCounts } from '../../src/cli/progress.js';

const counts = (overrides: Partial<ImportCounts> = {}): ImportCounts => ({
  linesRead: 450_000, delivered: 448_000, failed: 12, skipped: 0, bytesRead: 45, totalBytes: 100, ...overrides,
});

describe('progress text', () => {
  it.each([
    [0, '0'], [999, '999'], [1000, '1,000'], [1_234_567, '1,234,567'],
  ])('count(%i) is %s', (value, text) => expect(count(value)).toBe(text));

  it.each([
    [0.2, '1 s'], [59, '59 s'], [75, '1 min 15 s'], [3600 + 120, '1 h 2 min'],
  ])('duration(%d) is %s', (seconds, text) => expect(duration(seconds)).toBe(text));

  it.each<[string, ImportCounts, number, string]>([
    ['a file: rate and ETA', counts(), 10_000, '450,000 lines read, 448,000 delivered, 12 failed, 45,000 lines/s, ETA 13 s'],
    ['skipped lines are shown once there are some', counts({ skipped: 3 }), 10_000, '450,000 lines read, 448,000 delivered, 12 failed, 3 skipped, 45,000 lines/s, ETA 13 s'],
    ['a pipe: no ETA', counts({ totalBytes: undefined }), 10_000, '450,000 lines read, 448,000 delivered, 12 failed, 45,000 lines/s'],
    ['all read: no ETA', counts({ bytesRead: 100 }), 10_000, '450,000 lines read, 448,000 delivered, 12 failed, 45,000 lines/s'],
  ])('%s', (_name, value, elapsedMs, text) => expect(describeCounts(value, elapsedMs)).toBe(text));
});

describe('Progress', () => {
  afterEach(() => vi.useRealTimers());

  it('on a terminal redraws one bar in place, and clears it before other output and at the end', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const progress = new Progress({ isTTY: true, write: (text) => written.push(text) }, () => counts(), 5000);
    vi.advanceTimersByTime(400);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\r\u001b\[2K\[#{11}\.{13}\] 45% 450,000 lines read, /);
    progress.print('letterapp import: line 3: event is required\n');
    expect(written.slice(2)).toEqual(['\r\u001b[2K', 'letterapp import: line 3: event is required\n']);
    progress.stop();
    vi.advanceTimersByTime(1000);
    expect(written).toHaveLength(4);
  });

  it('elsewhere prints a plain line every interval, with no escape codes', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const progress = new Progress({ isTTY: false, write: (text) => written.push(text) }, () => counts(), 5000);
    vi.advanceTimersByTime(4999);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([expect.stringMatching(/^letterapp import: 450,000 lines read, 448,000 delivered, 12 failed, [\d,]+ lines\/s, ETA .* \(45% of the input\)\n$/)]);
    progress.print('x\n');
    progress.stop();
    expect(written.join('')).not.toContain('\u001b');
  });
});
