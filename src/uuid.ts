import { createRequire } from 'node:module';

/** Generates random UUID v4 message ids. */

type UuidSource = () => string;

/** Decided on first use, so that importing the SDK never loads a crypto module (some 5 ms in Node). */
let source: UuidSource | undefined;

/** A random UUID v4, from Web Crypto where it is a global (Node 20+, Bun, Deno), else from `node:crypto`. */
export function randomUuid(): string {
  source ??= pickSource();
  return source();
}

function pickSource(): UuidSource {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return () => webCrypto.randomUUID!();
  // Node 18 has no crypto global. createRequire gives an ES module a synchronous, lazy way to load
  // a built-in (node:module itself is already loaded by Node's bootstrap); a built-in resolves the
  // same from any base path.
  return (createRequire('/')('node:crypto') as { randomUUID: UuidSource }).randomUUID;
}
