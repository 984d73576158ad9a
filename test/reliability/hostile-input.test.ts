import fc from 'fast-check';
import { expect, it } from 'vitest';
import { LetterError } from '../../src/index.js';
import { harness } from '../integration/harness.js';

it('any properties value is either delivered exactly as JSON would carry it, or refused with a LetterError; the queue is never corrupted', async () => {
  const { server, letter, errors } = await harness({ flushAt: 1000, flushInterval: 60_000 });
  const expected: unknown[] = [];
  await fc.assert(
    fc.property(
      fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toJSON')), fc.anything({ withBigInt: true, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withObjectString: true }), { maxKeys: 5 }),
      (properties) => {
        let json: string | undefined;
        try {
          json = JSON.stringify(properties);
        } catch {
          json = undefined;
        }
        try {
          letter.track({ userId: 1, event: 'Fuzzed', properties });
        } catch (error) {
          expect(error).toBeInstanceOf(LetterError);
          expect((error as LetterError).message).toMatch(/^(properties|message)\b/);
          return;
        }
        // Accepted: it must have been serializable, and arrive as JSON.parse(JSON.stringify(...)).
        expect(json).toBeDefined();
        expected.push(JSON.parse(json!));
      },
    ),
    { numRuns: 300 },
  );
  letter.track({ userId: 1, event: 'Canary' });
  await letter.flush();
  expect(errors).toEqual([]);
  expect(server.messages.map((message) => message.properties ?? null)).toEqual([...expected, null]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('toJSON');
});
