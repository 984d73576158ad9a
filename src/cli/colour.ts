/** Wraps text in one ANSI style, or returns it as is when colour is off. */
export type Style = (text: string) => string;

/** The styles `listen` uses; every one is the identity when colour is off. */
export interface Palette {
  readonly dim: Style;
  readonly bold: Style;
  readonly red: Style;
  readonly green: Style;
  readonly yellow: Style;
  readonly magenta: Style;
  readonly cyan: Style;
}

/**
 * Whether to colour what goes to `stream`: only a terminal gets escape codes, so piped or
 * redirected output stays plain text. `NO_COLOR` (https://no-color.org) always wins;
 * `FORCE_COLOR` (Node's own convention) turns colour on for a pager such as `less -R`.
 */
export function shouldColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The palette for `enabled`. */
export function createPalette(enabled: boolean): Palette {
  const style = (open: number, close: number): Style =>
    enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
  return {
    dim: style(2, 22),
    bold: style(1, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    magenta: style(35, 39),
    cyan: style(36, 39),
  };
}
