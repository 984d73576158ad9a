/** Generates random UUID v4 message ids. */

type UuidSource = () => string;

/** Decided on first use, so that importing the SDK never loads a crypto module (some 5 ms in Node). */
let source: UuidSource | undefined;

/**
 * A random UUID v4 from Web Crypto (Node 20+, Bun, Deno). Node 18 has no `crypto` global and no
 * synchronous way for an ES module to load `node:crypto` lazily, so there the ids come from
 * `Math.random` instead: 122 random bits from a generator seeded per process from the OS, unique
 * in practice, though not cryptographically strong (and message ids are not secrets).
 */
export function randomUuid(): string {
  source ??= pickSource();
  return source();
}

function pickSource(): UuidSource {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return () => webCrypto.randomUUID!();
  return mathRandomUuid;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** RFC 9562 version 4 layout: version nibble 4, variant bits 10. Exported for its unit test. */
export function mathRandomUuid(random: () => number = Math.random): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((byte) => HEX[byte]!);
  return `${hex.slice(0, 4).join('')}-${hex.slice(4, 6).join('')}-${hex.slice(6, 8).join('')}-${hex.slice(8, 10).join('')}-${hex.slice(10).join('')}`;
}
