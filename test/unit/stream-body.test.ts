import { describe, expect, it } from 'vitest';
import { isNodeFetch, streamBody } from '../../src/stream-body.js';

describe('streamBody', () => {
  it('is one piece: the very bytes given, not a copy', async () => {
    const body = new TextEncoder().encode('{"batch":[],"sent_at":"2026-11-22T10:15:30.456Z"}');
    const pieces: Uint8Array[] = [];
    for await (const piece of streamBody(body)) pieces.push(piece);
    expect(pieces).toEqual([body]);
    expect(pieces[0]).toBe(body);
  });
});

describe('isNodeFetch', () => {
  it("is true only for Node's own fetch, as it stood when the SDK loaded", () => {
    expect(isNodeFetch(globalThis.fetch)).toBe(true);
    expect(isNodeFetch((input: string, init?: RequestInit) => fetch(input, init))).toBe(false);
    expect(isNodeFetch(undefined)).toBe(false);
  });
});
