import { describe, expect, it } from 'vitest';
import { byteLength } from '../../src/batch.js';
import { isNodeFetch, streamBody } from '../../src/stream-body.js';

describe('streamBody', () => {
  it('streams the very parts given, in order, not copies, and none is detached', async () => {
    const encoder = new TextEncoder();
    const parts = [encoder.encode('{"batch":['), encoder.encode('{"a":1}'), encoder.encode('],"sent_at":"2026-11-22T10:15:30.456Z"}')];
    const streamed: Uint8Array[] = [];
    for await (const piece of streamBody(parts)) streamed.push(piece);
    streamed.forEach((piece, index) => expect(piece).toBe(parts[index]));
    expect(streamed).toHaveLength(3);
    expect(parts.map((part) => part.byteLength)).toEqual([10, 7, 39]);
    expect(byteLength(parts)).toBe(56);
  });
});

describe('isNodeFetch', () => {
  it("is true only for Node's own fetch, as it stood when the SDK loaded", () => {
    expect(isNodeFetch(globalThis.fetch)).toBe(true);
    expect(isNodeFetch((input: string, init?: RequestInit) => fetch(input, init))).toBe(false);
    expect(isNodeFetch(undefined)).toBe(false);
  });
});
