import { loadBuiltin } from './builtin.js';

/** A printf-style line logger, as `util.debuglog` returns. */
export type Logger = (format: string, ...args: unknown[]) => void;

/** Decided once, on first use: the logger, or false. */
let logger: Logger | false | undefined;

/**
 * The `NODE_DEBUG=letterapp` logger (Node's own convention), or false when debugging is off. It is
 * looked up lazily and defensively: Deno without env permission throws on reading NODE_DEBUG, and
 * a debugging aid must never break delivery. Callers log endpoints, counts, sizes and statuses,
 * never the API key.
 */
export function debugLogger(): Logger | false {
  if (logger === undefined) {
    try {
      // node:util is loaded here, on first use, rather than imported: see loadBuiltin.
      const log = loadBuiltin<typeof import('node:util')>('node:util').debuglog('letterapp');
      logger = log.enabled ? log : false;
    } catch {
      logger = false;
    }
  }
  return logger;
}
