import { describe, expect, it } from 'vitest';
import { mathRandomUuid, randomUuid } from '../../src/uuid.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('message ids', () => {
  it('are UUID v4 and distinct', () => {
    const ids = Array.from({ length: 1000 }, randomUuid);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(1000);
  });

  it.each([
    [() => 0, '00000000-0000-4000-8000-000000000000'],
    [() => 0.999_999, 'ffffffff-ffff-4fff-bfff-ffffffffffff'],
  ])('the Node 18 fallback keeps the v4 version and variant bits', (random, expected) => {
    expect(mathRandomUuid(random)).toBe(expected);
  });

  it('the Node 18 fallback is random', () => {
    const ids = Array.from({ length: 1000 }, () => mathRandomUuid());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(1000);
  });
});
