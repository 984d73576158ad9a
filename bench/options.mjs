/** Checks shared by the bench scripts' command lines: a bad value stops the run, naming its option. */

/**
 * `raw` as a number, or an error naming `--name`: `isValid` decides, and `expected` says what was
 * wanted ("a whole number > 0").
 */
export function numberOption(name, raw, isValid, expected) {
  const value = Number(raw);
  if (!isValid(value)) throw new Error(`Expected --${name} to be ${expected}, got ${JSON.stringify(raw)}`);
  return value;
}

export const isPositiveInteger = (value) => Number.isInteger(value) && value > 0;

/**
 * Source for a command that times `code` with performance.now() and prints the milliseconds. The
 * elapsed time is taken before touching process.stdout, whose first use costs milliseconds.
 */
export function timedSource(code) {
  return `const t0=performance.now();${code};const ms=performance.now()-t0;process.stdout.write(String(ms))`;
}
