import { describe, expect, it } from 'vitest';
import type { GroupCall, IdentifyCall, TrackCall } from '../../src/calls.js';
import { LetterError } from '../../src/errors.js';
import { buildGroup, buildIdentify, buildTrack } from '../../src/messages.js';

const wire = (json: string) => JSON.parse(json) as Record<string, unknown>;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LetterError);
    expect((error as LetterError).code).toBe('invalid_argument');
    return (error as LetterError).message;
  }
  throw new Error('expected the call to be refused');
}

describe('wire form', () => {
  it('identify: snake_case, UUID v4 id, ISO timestamp, absent fields omitted', () => {
    const message = wire(buildIdentify({ userId: 42, email: 'ada@example.com', traits: { plan: 'free' }, timezone: 'Europe/London' }));
    expect(message).toEqual({
      type: 'identify',
      message_id: expect.stringMatching(UUID_V4),
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      user_id: '42',
      email: 'ada@example.com',
      traits: { plan: 'free' },
      timezone: 'Europe/London',
    });
    expect(Object.keys(wire(buildIdentify({ userId: 'u1' })))).toEqual(['type', 'message_id', 'timestamp', 'user_id']);
  });

  it('group and track carry their own fields', () => {
    expect(wire(buildGroup({ userId: 'u1', accountId: 9, name: 'Acme', traits: { mrr: 49 } }))).toMatchObject({
      type: 'group',
      user_id: 'u1',
      account_id: '9',
      name: 'Acme',
      traits: { mrr: 49 },
    });
    expect(wire(buildTrack({ userId: 'u1', event: 'Signed Up', properties: { plan: 'pro' } }))).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
    });
  });

  it('null optional fields are omitted like undefined ones, never sent as null', () => {
    const message = wire(buildIdentify({ userId: 'u1', email: null, traits: null, timezone: null } as unknown as IdentifyCall));
    expect(Object.keys(message)).toEqual(['type', 'message_id', 'timestamp', 'user_id']);
  });

  it.each([
    [new Date('2026-11-22T10:15:30.123Z'), '2026-11-22T10:15:30.123Z'],
    ['2026-11-22T10:15:30.123Z', '2026-11-22T10:15:30.123Z'],
    ['2026-11-22T11:15:30+01:00', '2026-11-22T10:15:30.000Z'],
    ['2026-11-22T10:15Z', '2026-11-22T10:15:00.000Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59.999Z', '2000-02-29T23:59:59.999Z'],
    ['2026-12-31T23:59:59-23:59', '2027-01-01T23:58:59.000Z'],
    [Date.UTC(2026, 10, 22, 10, 15, 30, 123), '2026-11-22T10:15:30.123Z'],
  ])('timestamp %j is sent as %s', (timestamp, expected) => {
    expect(wire(buildTrack({ userId: 1, event: 'e', timestamp })).timestamp).toBe(expected);
  });

  it('keeps a caller-supplied messageId and generates distinct ones otherwise', () => {
    expect(wire(buildTrack({ userId: 1, event: 'e', messageId: 'order-1' })).message_id).toBe('order-1');
    const ids = new Set(Array.from({ length: 100 }, () => wire(buildTrack({ userId: 1, event: 'e' })).message_id));
    expect(ids.size).toBe(100);
  });

  it('serializes at the call: later mutation never changes the message, and the caller’s object is untouched', () => {
    const properties = { total: 10, items: ['a'] };
    const message = buildTrack({ userId: 1, event: 'e', properties });
    properties.total = 99;
    properties.items.push('b');
    expect(wire(message).properties).toEqual({ total: 10, items: ['a'] });
    expect(properties).toEqual({ total: 99, items: ['a', 'b'] });
    expect(Object.keys(properties)).toEqual(['total', 'items']);
  });

  it('sends __proto__ and constructor keys as data without polluting prototypes', () => {
    const properties = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}') as Record<string, unknown>;
    const message = wire(buildTrack({ userId: 1, event: 'e', properties }));
    expect(JSON.stringify(message.properties)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts objects with a null prototype', () => {
    const traits = Object.assign(Object.create(null) as Record<string, unknown>, { plan: 'free' });
    expect(wire(buildIdentify({ userId: 1, traits })).traits).toEqual({ plan: 'free' });
  });
});

describe('refusals name the field', () => {
  const big = 'x'.repeat(41 * 1024);
  it.each<[string, () => unknown, RegExp]>([
    ['no argument', () => buildTrack(undefined as unknown as TrackCall), /^track\(\) expects an object/],
    ['missing userId', () => buildTrack({ event: 'e' } as TrackCall), /^userId is required$/],
    ['empty userId', () => buildTrack({ userId: '', event: 'e' }), /^userId must not be empty$/],
    ['long userId', () => buildTrack({ userId: 'u'.repeat(256), event: 'e' }), /^userId is longer than 255 characters$/],
    ['NaN userId', () => buildTrack({ userId: Number.NaN, event: 'e' }), /^userId must be a finite number/],
    ['object userId', () => buildTrack({ userId: {} as unknown as string, event: 'e' }), /^userId must be a string or a number/],
    ['missing event', () => buildTrack({ userId: 1 } as TrackCall), /^event is required$/],
    ['empty event', () => buildTrack({ userId: 1, event: '' }), /^event must not be empty$/],
    ['long event', () => buildTrack({ userId: 1, event: 'e'.repeat(201) }), /^event is longer than 200 characters$/],
    ['missing accountId', () => buildGroup({ userId: 1 } as GroupCall), /^accountId is required$/],
    ['typo in a field name', () => buildTrack({ userId: 1, event: 'e', propeties: {} } as unknown as TrackCall), /^track\(\) has no field `propeties`/],
    ['snake_case field', () => buildIdentify({ user_id: 1 } as unknown as IdentifyCall), /^identify\(\) has no field `user_id`/],
    ['array properties', () => buildTrack({ userId: 1, event: 'e', properties: [] as unknown as Record<string, unknown> }), /^properties must be a plain object, got an array$/],
    ['Map traits', () => buildIdentify({ userId: 1, traits: new Map() as unknown as Record<string, unknown> }), /^traits must be a plain object, got a Map$/],
    ['string traits', () => buildGroup({ userId: 1, accountId: 2, traits: 'x' as unknown as Record<string, unknown> }), /^traits must be a plain object/],
    ['number email', () => buildIdentify({ userId: 1, email: 5 as unknown as string }), /^email must be a string, got `5`$/],
    ['bad timezone', () => buildIdentify({ userId: 1, timezone: 'Mars/Olympus' }), /^timezone "Mars\/Olympus" is not an IANA time zone/],
    ['offset timezone', () => buildIdentify({ userId: 1, timezone: '+01:00' }), /^timezone "\+01:00" is not an IANA/],
    ['invalid Date', () => buildTrack({ userId: 1, event: 'e', timestamp: new Date('nope') }), /^timestamp .* is not a valid date$/],
    ['non-ISO string', () => buildTrack({ userId: 1, event: 'e', timestamp: 'yesterday' }), /^timestamp "yesterday" is not an ISO 8601/],
    ['zone-less date-time', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-11-22T10:15:30' }), /^timestamp .* with a zone/],
    ['February 30', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-02-30' }), /^timestamp "2026-02-30" is not a real date-time: February 2026 has days 01 to 28, not 30$/],
    ['February 31 with a time', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-02-31T10:00:00Z' }), /^timestamp .* February 2026 has days 01 to 28, not 31$/],
    ['February 29 of a common year', () => buildTrack({ userId: 1, event: 'e', timestamp: '2100-02-29' }), /^timestamp .* February 2100 has days 01 to 28, not 29$/],
    ['April 31', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-04-31T00:00Z' }), /^timestamp .* April 2026 has days 01 to 30, not 31$/],
    ['day 00', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-01-00' }), /^timestamp .* January 2026 has days 01 to 31, not 00$/],
    ['month 13', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-13-01' }), /^timestamp "2026-13-01" is not a real date-time: month 13 is not 01 to 12$/],
    ['hour 24', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-11-22T24:00Z' }), /^timestamp .* hour 24 is not 00 to 23$/],
    ['minute 60', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-11-22T10:60Z' }), /^timestamp .* minute 60 is not 00 to 59$/],
    ['second 60', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-11-22T10:15:60Z' }), /^timestamp .* second 60 is not 00 to 59$/],
    ['offset +24:00', () => buildTrack({ userId: 1, event: 'e', timestamp: '2026-11-22T10:15:00+24:00' }), /^timestamp .* zone offset is out of range$/],
    ['Infinity epoch', () => buildTrack({ userId: 1, event: 'e', timestamp: Number.POSITIVE_INFINITY }), /^timestamp `Infinity` is not a valid date$/],
    ['empty messageId', () => buildTrack({ userId: 1, event: 'e', messageId: '' }), /^messageId must not be empty$/],
    ['long messageId', () => buildTrack({ userId: 1, event: 'e', messageId: 'm'.repeat(101) }), /^messageId is longer than 100 characters$/],
    ['BigInt property', () => buildTrack({ userId: 1, event: 'e', properties: { total: 10n } }), /^properties.total is a BigInt and cannot be serialized$/],
    ['nested BigInt', () => buildIdentify({ userId: 1, traits: { a: { 'b c': [1, 2n] } } }), /^traits.a\["b c"\]\[1\] is a BigInt/],
    ['throwing toJSON', () => buildTrack({ userId: 1, event: 'e', properties: { when: { toJSON: () => { throw new Error('boom'); } } } }), /^properties.when.toJSON\(\) threw: boom$/],
    ['throwing getter', () => buildTrack({ userId: 1, event: 'e', properties: { get secret(): string { throw new Error('no'); } } }), /^properties.secret threw when read: no$/],
    ['oversize message', () => buildTrack({ userId: 1, event: 'e', properties: { big } }), /^message is 42 KB; the limit is 32 KB$/],
  ])('%s', (_name, run, message) => {
    expect(refusal(run)).toMatch(message);
  });

  it('names a circular reference', () => {
    const properties: Record<string, unknown> = { a: { } };
    (properties.a as Record<string, unknown>).self = properties;
    expect(refusal(() => buildTrack({ userId: 1, event: 'e', properties }))).toBe('properties.a.self is a circular reference');
  });

  it('refuses nesting too deep to serialize with a clear error, not a stack overflow', () => {
    let deep: Record<string, unknown> = {};
    const properties = deep;
    for (let depth = 0; depth < 100_000; depth += 1) {
      const next = {};
      deep.a = next;
      deep = next;
    }
    expect(refusal(() => buildTrack({ userId: 1, event: 'e', properties }))).toBe('properties is nested too deeply to serialize');
  });

  it('counts characters, not UTF-16 units, against length limits', () => {
    expect(wire(buildTrack({ userId: 1, event: '😀'.repeat(200) })).event).toBe('😀'.repeat(200));
    expect(refusal(() => buildTrack({ userId: 1, event: '😀'.repeat(201) }))).toBe('event is longer than 200 characters');
  });

  it('sends lone surrogates, emoji and NUL as valid JSON', () => {
    const properties = { lone: '\ud800', emoji: '👩‍💻', nul: 'a\u0000b' };
    const message = buildTrack({ userId: 1, event: 'e', properties });
    expect(message).toContain('\\ud800');
    expect(wire(message).properties).toEqual(properties);
  });
});

describe('hand-written wire JSON', () => {
  it('is byte for byte what JSON.stringify of the wire object gives, for any valid call', async () => {
    const fc = (await import('fast-check')).default;
    const text = (max: number) => fc.string({ unit: 'binary', minLength: 1, maxLength: max });
    const object = fc.option(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 }), { nil: undefined });
    const base = { messageId: text(30), timestamp: fc.constant('2026-11-22T10:15:30.123Z'), userId: fc.oneof(text(40), fc.integer()) };
    const drop = (wire: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(wire).filter(([, value]) => value !== undefined)));
    fc.assert(
      fc.property(fc.record({ ...base, event: text(60), properties: object }), (call) => {
        expect(buildTrack(call)).toBe(drop({ type: 'track', message_id: call.messageId, timestamp: call.timestamp, user_id: String(call.userId), event: call.event, properties: call.properties }));
      }),
    );
    fc.assert(
      fc.property(fc.record({ ...base, accountId: fc.oneof(text(40), fc.integer()), name: fc.option(fc.string(), { nil: undefined }), traits: object }), (call) => {
        expect(buildGroup(call)).toBe(drop({ type: 'group', message_id: call.messageId, timestamp: call.timestamp, user_id: String(call.userId), account_id: String(call.accountId), name: call.name, traits: call.traits }));
      }),
    );
    fc.assert(
      fc.property(fc.record({ ...base, email: fc.option(fc.string(), { nil: undefined }), traits: object, timezone: fc.constantFrom(undefined, 'UTC', 'Europe/London', 'America/New_York') }), (call) => {
        expect(buildIdentify(call)).toBe(drop({ type: 'identify', message_id: call.messageId, timestamp: call.timestamp, user_id: String(call.userId), email: call.email, traits: call.traits, timezone: call.timezone }));
      }),
    );
  });
});
