import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/index.js';
import { harness } from '../integration/harness.js';

describe('beforeSend', () => {
  it('sees the camelCase call shape with its type, and what it returns is sent', async () => {
    const seen: Message[] = [];
    const { server, letter } = await harness({
      beforeSend: (message) => {
        seen.push(structuredClone(message));
        if (message.type === 'identify') return { ...message, traits: { ...message.traits, scrubbed: true } };
        return message;
      },
    });
    letter.identify({ userId: 1, email: 'ada@example.com', traits: { plan: 'free' } });
    letter.track({ userId: 2, event: 'Signed Up', properties: { plan: 'pro' } });
    await letter.flush();
    expect(seen).toEqual([
      { type: 'identify', userId: 1, email: 'ada@example.com', traits: { plan: 'free' } },
      { type: 'track', userId: 2, event: 'Signed Up', properties: { plan: 'pro' } },
    ]);
    expect(server.messages.map((message) => message.traits ?? message.properties)).toEqual([{ plan: 'free', scrubbed: true }, { plan: 'pro' }]);
  });

  it('scrubs PII in place without modifying the caller’s object', async () => {
    const { server, letter } = await harness({
      beforeSend: (message) => {
        if (message.type === 'track' && message.properties) delete message.properties.email;
        return message;
      },
    });
    const properties = { email: 'ada@example.com', plan: 'pro' };
    letter.track({ userId: 1, event: 'Signed Up', properties });
    await letter.flush();
    expect(server.messages[0]!.properties).toEqual({ plan: 'pro' });
    expect(properties).toEqual({ email: 'ada@example.com', plan: 'pro' });
  });

  it('null drops the message silently', async () => {
    const { server, letter, errors } = await harness({
      beforeSend: (message) => (message.type === 'track' && message.event.startsWith('Internal') ? null : message),
    });
    letter.track({ userId: 1, event: 'Internal Health Check' });
    letter.track({ userId: 1, event: 'Signed Up' });
    await letter.flush();
    expect(server.messages.map((message) => message.event)).toEqual(['Signed Up']);
    expect(errors).toEqual([]);
  });

  it.each<[string, (message: Message) => Message | null, RegExp]>([
    ['an invalid message', (message) => ({ ...message, userId: '' }), /^userId must not be empty \(in the message beforeSend returned\)$/],
    ['undefined', () => undefined as unknown as null, /^beforeSend must return the message or null, got `undefined`$/],
    ['an unknown type', (message) => ({ ...message, type: 'page' }) as unknown as Message, /^beforeSend returned a message whose type is `"page"`/],
    ['by throwing', () => { throw new Error('hook bug'); }, /^beforeSend threw: hook bug$/],
  ])('a bad result (%s) throws a LetterError at the call and queues nothing', async (_name, beforeSend, message) => {
    const { server, letter } = await harness({ beforeSend });
    expect(() => letter.track({ userId: 1, event: 'e' })).toThrowError(message);
    await letter.flush();
    expect(server.requests).toEqual([]);
  });

  it('refuses a beforeSend that is not a function', async () => {
    const { Letter } = await import('../../src/index.js');
    expect(() => new Letter({ apiKey: 'lt_test_x', beforeSend: 'scrub' as never })).toThrowError(/Expected `beforeSend` to be a function, got `"scrub"`/);
  });
});
