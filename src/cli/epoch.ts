/**
 * Epoch timestamps below this many milliseconds (3 March 1973) are almost surely epoch seconds,
 * the Unix default (`date +%s`): as seconds, 10^11 is the year 5138. Taken as milliseconds they
 * would be sent as a 1970 date and stored without complaint.
 */
export const SMALLEST_EPOCH_MS = 100_000_000_000;

/**
 * Why `value`, given as epoch milliseconds in `name` (`--timestamp`, or a line's `timestamp`),
 * looks like epoch seconds, with the fix; undefined when it is a plausible millisecond count.
 */
export function epochSecondsMistake(value: number, name: string): string | undefined {
  if (!(value >= 0 && value < SMALLEST_EPOCH_MS)) return undefined;
  const asSeconds = new Date(value * 1000);
  const when = Number.isNaN(asSeconds.getTime()) ? '' : ` (${asSeconds.toISOString()})`;
  return `${name} ${value} looks like epoch seconds${when}, but epoch milliseconds are expected: ` +
    `as milliseconds it would be ${new Date(value).toISOString()}. Write ${value * 1000}, or an ISO 8601 date-time`;
}
