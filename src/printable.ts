/**
 * Text from a server (an error page, `error.message`) or from an app is printed to terminals by
 * the default `onError` and the CLI. C0 and C1 controls (ESC, U+009B) could clear the screen or
 * rewrite what was printed, and bidirectional overrides could reorder it, so each is shown as a
 * `\uXXXX` escape instead.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
