import { loadBuiltin } from './builtin.js';

/** Generates random UUID v4 message ids. */

type UuidSource = () => string;

/** Decided on first use, so that importing the SDK never loads a crypto module (some 5 ms in Node). */
let source: UuidSource | undefined;

/**
 * A random UUID v4: from Web Crypto where it is a global (Node 20+, Bun, Deno, Workers, Edge),
 * else from `node:crypto` (Node 18). The one gap is Node 18's ES module build in the tick that
 * imports the SDK, before node:crypto can be reached (see builtin.ts): ids made then come from
 * Math.random, which is unique enough for deduplication though not unpredictable.
 */
export function randomUuid(): string {
  source ??= pickSource();
  return (source ?? mathRandomUuid)();
}

function pickSource(): UuidSource | undefined {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return () => webCrypto.randomUUID!();
  return loadBuiltin<{ randomUUID: UuidSource }>('node:crypto')?.randomUUID;
}

function mathRandomUuid(): string {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (slot) => {
    const nibble = Math.floor(Math.random() * 16);
    // The variant nibble is 10xx in binary: 8, 9, a or b.
    return (slot === 'x' ? nibble : 8 + (nibble % 4)).toString(16);
  });
}
