/** `npm run soak` sets LETTER_SOAK=1: the same reliability tests at production-like sizes. */
export const SOAK = process.env.LETTER_SOAK === '1';

/** The default size in `npm test`, or the soak size under `npm run soak`. */
export function sized(normal: number, soak: number): number {
  return SOAK ? soak : normal;
}
