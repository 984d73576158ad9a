import { loadBuiltin } from './builtin.js';

/** Generates random UUID v4 message ids. */

type UuidSource = () => string;

/** Decided on first use, so that importing the SDK never loads a crypto module (some 5 ms in Node). */
let source: UuidSource | undefined;

/** A random UUID v4, from Web Crypto where it is a global (Node 20+, Bun, Deno), else from `node:crypto` (Node 18). */
export function randomUuid(): string {
  source ??= pickSource();
  return source();
}

function pickSource(): UuidSource {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return () => webCrypto.randomUUID!();
  return loadBuiltin<{ randomUUID: UuidSource }>('node:crypto').randomUUID;
}
