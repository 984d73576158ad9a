import { expect, it } from 'vitest';
import { randomUuid } from '../../src/uuid.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Node 18's paths (no crypto global) are in test/process/old-node.test.ts and the runtime matrix.
it('message ids are UUID v4 and distinct', () => {
  const ids = Array.from({ length: 1000 }, randomUuid);
  for (const id of ids) expect(id).toMatch(UUID_V4);
  expect(new Set(ids).size).toBe(1000);
});
