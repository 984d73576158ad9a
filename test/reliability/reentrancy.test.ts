// User callbacks (onError, beforeSend) may call flush(), close() or track() re-entrantly, at any
// moment. Whatever they do, every accepted message must be delivered, handed over in
// LetterError.messages, or counted (dropped, or refused after close), and close() must settle.
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { Letter, type LetterError, type Message } from '../../src/index.js';
import { startTestServer, type Reply } from '../../src/testing/index.js';
import { sized } from './soak.js';

const KEY = 'lt_test_reentrant';

type Reentry = 'none' | 'flush' | 'close' | 'track';
const reentry = fc.constantFrom<Reentry>('none', 'none', 'flush', 'close', 'track');

const fault = fc.constantFrom<Reply>('ok', { status: 503 }, { status: 429, retryAfter: 0 }, { status: 400 }, 'reset', 'store-then-reset', { status: 500, store: true });

it('re-entrant flush()/close()/track() from onError and beforeSend never lose a message, and close() settles', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ big: fc.boolean(), fromHook: reentry, flushAfter: fc.boolean() }), { minLength: 1, maxLength: 40 }),
      fc.array(reentry, { minLength: 1, maxLength: 8 }),
      fc.array(fault, { maxLength: 4 }),
      fc.record({ flushAt: fc.integer({ min: 1, max: 6 }), maxRetries: fc.integer({ min: 0, max: 1 }) }),
      async (calls, onErrorActions, faults, options) => {
        // A refusal raised inside onError while it handles such a refusal goes to stderr, not onError.
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
        const server = await startTestServer({ apiKey: KEY });
        server.reply(...faults);
        const candidates: string[] = [];
        const reported: string[] = [];
        let dropped = 0;
        let refusedAfterClose = 0;
        let nextId = 0;
        let budget = 12; // re-entrant calls per run, so a hook cannot make the run endless
        let letter!: Letter;
        const pending: Promise<void>[] = [];
        const act = (action: Reentry): void => {
          if (action === 'none' || budget <= 0) return;
          budget -= 1;
          if (action === 'flush') pending.push(letter.flush());
          if (action === 'close') pending.push(letter.close());
          if (action === 'track') send(false);
        };
        const send = (big: boolean): void => {
          const messageId = `m${nextId++}`;
          candidates.push(messageId);
          letter.track({ userId: 1, event: 'Reentrant', messageId, ...(big && { properties: { padding: 'x'.repeat(30_000) } }) });
        };
        let onErrorIndex = 0;
        let hookAction: Reentry = 'none';
        letter = new Letter({
          apiKey: KEY,
          baseUrl: server.url,
          timeout: 200,
          maxQueueBytes: 1_024_000,
          ...options,
          onError: (error: LetterError) => {
            reported.push(...(error.messages ?? []).map((message) => message.message_id));
            dropped += error.dropped ?? 0;
            if (error.code === 'closed') refusedAfterClose += 1;
            act(onErrorActions[onErrorIndex++ % onErrorActions.length]!);
          },
          beforeSend: (message: Message) => {
            const action = hookAction;
            hookAction = 'none';
            act(action);
            return message;
          },
        });
        try {
          for (const call of calls) {
            hookAction = call.fromHook;
            send(call.big);
            if (call.flushAfter) await letter.flush();
          }
          await letter.close();
          await Promise.all(pending);
        } finally {
          await server.close();
          refusedAfterClose += warn.mock.calls.filter(([line]) => /called after close\(\)/.test(String(line))).length;
          warn.mockRestore();
        }
        const stored = server.messages.map((message) => message.message_id);
        expect(new Set(stored).size).toBe(stored.length);
        const accounted = new Set([...stored, ...reported]);
        for (const id of accounted) expect(candidates).toContain(id);
        const unaccounted = candidates.filter((id) => !accounted.has(id));
        expect(unaccounted.length).toBe(dropped + refusedAfterClose);
        expect(letter.stats()).toMatchObject({ queued: 0, inFlight: 0, queuedBytes: 0 });
      },
    ),
    { numRuns: sized(40, 500) },
  );
}, sized(120_000, 3_600_000));
