import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Letter, type LetterError } from '../../src/index.js';
import { startTestServer, type Reply } from '../../src/testing/index.js';
import { sized } from './soak.js';

const KEY = 'lt_test_property';
const BIG = 'x'.repeat(30_000);

type Operation =
  | { kind: 'identify' | 'group' | 'track'; userId: number; big: boolean }
  | { kind: 'flush'; awaited: boolean };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('identify' as const, 'group' as const, 'track' as const), userId: fc.nat(1000), big: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), awaited: fc.boolean() }) },
);

// Every fault the contract allows, plus lost acknowledgements and slow answers. Faults that make
// the client back off (5xx, resets, hangs) cost real waits, so a schedule holds only a few.
const fault: fc.Arbitrary<Reply> = fc.constantFrom<Reply>(
  'ok',
  { status: 429, retryAfter: 0 },
  { status: 429, retryAfter: new Date(0) }, // an HTTP date in the past: retry at once
  { status: 503 },
  { status: 500, store: true }, // stored, but the client is told it failed
  'reset',
  'store-then-reset', // a lost acknowledgement
  'hang',
  { delayMs: 30 },
  { status: 400 }, // not retryable: reported
);

it('every accepted message is stored exactly once or handed to onError; flush() and close() always settle', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(operation, { minLength: 1, maxLength: 80 }),
      fc.array(fault, { maxLength: 4 }),
      fc.record({
        flushAt: fc.integer({ min: 1, max: 8 }),
        flushInterval: fc.integer({ min: 0, max: 10 }),
        maxRetries: fc.integer({ min: 0, max: 2 }),
        // At the smallest budget, some 34 big (30 KB) messages fit: long runs of them overflow it.
        maxQueueBytes: fc.constantFrom(1_024_000, 2_000_000),
      }),
      fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      async (operations, faults, options, closeTimeoutMs) => {
        const server = await startTestServer({ apiKey: KEY });
        server.reply(...faults);
        const reported: string[] = [];
        let dropped = 0;
        const letter = new Letter({
          apiKey: KEY,
          baseUrl: server.url,
          timeout: 100,
          ...options,
          onError: (error: LetterError) => {
            reported.push(...(error.messages ?? []).map((message) => message.message_id));
            dropped += error.dropped ?? 0;
          },
        });
        const accepted: string[] = [];
        const pending: Promise<void>[] = [];
        try {
          for (const [index, op] of operations.entries()) {
            const messageId = `m${index}`;
            if (op.kind === 'flush') {
              if (op.awaited) await letter.flush();
              else pending.push(letter.flush());
              continue;
            }
            const traits = op.big ? { padding: BIG } : undefined;
            if (op.kind === 'identify') letter.identify({ userId: op.userId, messageId, traits });
            if (op.kind === 'group') letter.group({ userId: op.userId, accountId: 'acct', messageId, traits });
            if (op.kind === 'track') letter.track({ userId: op.userId, event: 'Property Checked', messageId, properties: traits });
            accepted.push(messageId);
          }
          await letter.close(closeTimeoutMs === undefined ? {} : { timeout: closeTimeoutMs });
          await Promise.all(pending);
        } finally {
          await server.close();
        }

        const storedIds = server.messages.map((message) => message.message_id);
        expect(new Set(storedIds).size).toBe(storedIds.length); // stored at most once after dedupe
        const accounted = new Set([...storedIds, ...reported]);
        for (const id of accounted) expect(accepted).toContain(id); // nothing invented
        const unaccounted = accepted.filter((id) => !accounted.has(id));
        // The only messages neither stored nor reported with their content are those counted as dropped.
        expect(unaccounted.length).toBe(dropped);
      },
    ),
    { numRuns: sized(40, 1000) },
  );
}, sized(120_000, 3_600_000));
