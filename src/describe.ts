/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\``;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `\`${String(value)}\``;
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * What a thrown value says, for an error message. User code can throw anything, and `String()` of
 * some values throws itself (`Object.create(null)`, a throwing `toString`): that must not turn a
 * clear LetterError into a TypeError, or escape from the SDK.
 */
export function describeThrown(value: unknown, withName = false): string {
  try {
    if (value instanceof Error) return withName ? `${value.name}: ${value.message}` : value.message;
    return String(value);
  } catch {
    return 'a value that cannot be converted to a string';
  }
}

/** `1 message`, `2 messages`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
