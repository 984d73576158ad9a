import { describe, expect, it } from 'vitest';
import { deriveMessageId, inLineNames, parseLine, withMessageId } from '../../src/cli/import-line.js';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('parseLine', () => {
  it.each([
    ['call shape', '{"type":"track","userId":"42","event":"Signed Up","messageId":"m1"}', { type: 'track', call: { userId: '42', event: 'Signed Up', messageId: 'm1' }, snakeCase: false, derivedId: false }],
    ['wire shape', '{"type":"group","user_id":"42","account_id":"ws_9","message_id":"m2","name":"Acme"}', { type: 'group', call: { userId: '42', accountId: 'ws_9', messageId: 'm2', name: 'Acme' }, snakeCase: true, derivedId: false }],
    ['mixed names in one line', '{"type":"identify","user_id":"42","email":"a@b.c","messageId":"m3"}', { type: 'identify', call: { userId: '42', email: 'a@b.c', messageId: 'm3' }, snakeCase: true }],
  ])('%s becomes a call', (_name, line, expected) => {
    expect(parseLine(line, 1)).toMatchObject(expected);
  });

  it.each([
    ['not JSON', 'nope', /^not valid JSON \(/],
    ['an array', '[1]', /^expected a JSON object/],
    ['a string', '"track"', /^expected a JSON object/],
    ['no type', '{"userId":"1"}', /^type is required: identify, group or track$/],
    ['an unknown type', '{"type":"page","userId":"1"}', /^type must be identify, group or track, got "page"$/],
    ['both names for one field', '{"type":"track","userId":"1","user_id":"1","event":"e"}', /^has both userId and user_id; give one$/],
    ['epoch seconds', '{"type":"track","userId":"1","event":"e","timestamp":1763806530}', /^timestamp 1763806530 looks like epoch seconds/],
  ])('%s is a bad line with a reason', (_name, line, reason) => {
    const parsed = parseLine(line, 1);
    expect(parsed.type).toBe('bad');
    expect(parsed.type === 'bad' && parsed.reason).toMatch(reason);
  });

  it('keeps a "__proto__" key as data, never as a prototype', () => {
    const parsed = parseLine('{"type":"track","userId":"1","event":"e","__proto__":{"polluted":true}}', 1);
    expect(parsed.type).toBe('track');
    const call = parsed.type === 'track' ? (parsed.call as unknown as Record<string, unknown>) : {};
    expect(Object.keys(call)).toContain('__proto__');
    expect(Object.getPrototypeOf(call)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('derives a stable UUID-shaped id from the line number and text when the line has none', () => {
    const line = '{"type":"track","userId":"1","event":"e"}';
    const first = parseLine(line, 7);
    expect(first).toMatchObject({ derivedId: true, messageId: expect.stringMatching(UUID_V8) });
    expect(parseLine(line, 7)).toMatchObject({ messageId: first.type === 'bad' ? '' : first.messageId });
    expect(deriveMessageId(line, 8)).not.toBe(deriveMessageId(line, 7));
    expect(deriveMessageId(`${line} `, 7)).not.toBe(deriveMessageId(line, 7));
    // Pinned: the same file must give the same ids in every version, or re-runs stop deduplicating.
    expect(deriveMessageId(line, 7)).toBe('9530216e-11a1-82fe-a889-2ffe4b335df9');
    expect(deriveMessageId('x', 1)).toMatch(UUID_V8);
  });
});

describe('inLineNames and withMessageId', () => {
  it.each([
    ['userId is required', true, 'user_id is required'],
    ['accountId must not be empty', true, 'account_id must not be empty'],
    ['track() has no field `foo`; expected userId, event, properties, timestamp, messageId', true, 'track() has no field `foo`; expected user_id, event, properties, timestamp, message_id'],
    ['userId is required', false, 'userId is required'],
  ])('%j (wire names: %s) reads %j', (message, snakeCase, expected) => {
    expect(inLineNames(message, snakeCase)).toBe(expected);
  });

  it('adds the id a line was sent with, in the line\'s own naming, and leaves the rest of it as written', () => {
    const line = ' {"type":"track", "user_id":"1","event":"e"}';
    expect(withMessageId(line, { messageId: 'abc', derivedId: true, snakeCase: true })).toBe(' {"message_id":"abc","type":"track", "user_id":"1","event":"e"}');
    expect(withMessageId('{"type":"track"}', { messageId: 'abc', derivedId: true, snakeCase: false })).toBe('{"messageId":"abc","type":"track"}');
    expect(withMessageId(line, { messageId: 'abc', derivedId: false, snakeCase: true })).toBe(line);
  });
});
