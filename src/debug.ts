import { loadBuiltin } from './builtin.js';
import { readEnv } from './env.js';

/** A printf-style line logger, as `util.debuglog` returns. */
export type Logger = (format: string, ...args: unknown[]) => void;

/** The debug section: `NODE_DEBUG=letterapp`, printed as `LETTERAPP <pid>:`. */
const SECTION = 'letterapp';

/** Decided once, on first use: the logger, or false. */
let logger: Logger | false | undefined;

/**
 * The `NODE_DEBUG=letterapp` logger (Node's own convention), or false when debugging is off.
 * NODE_DEBUG is read here rather than left to `util.debuglog`, which some runtimes' shims enable
 * whatever NODE_DEBUG says (workerd with `nodejs_compat`) or disable whatever it says (Bun), and
 * node:util is only loaded once debugging is on; where there is no node:util (Workers, Edge) the
 * lines go to `console.error` in the same form. Reading is defensive: Deno without env permission
 * throws, and a debugging aid must never break delivery. Callers log endpoints, counts, sizes and
 * statuses, never the API key.
 */
export function debugLogger(): Logger | false {
  if (logger === undefined) {
    try {
      logger = isDebugEnabled(readEnv('NODE_DEBUG'), SECTION) ? pickLogger() : false;
    } catch {
      logger = false;
    }
  }
  return logger;
}

/**
 * Whether NODE_DEBUG names `section` as Node reads it: a comma-separated list of names, case
 * insensitive, where `*` matches any run of characters (`NODE_DEBUG=letter*`, `NODE_DEBUG=*`).
 */
export function isDebugEnabled(nodeDebug: string | undefined, section: string): boolean {
  if (!nodeDebug) return false;
  return nodeDebug.split(',').some((name) => {
    const pattern = name.trim().replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*');
    return pattern !== '' && new RegExp(`^${pattern}$`, 'i').test(section);
  });
}

function pickLogger(): Logger {
  const util = loadBuiltin<typeof import('node:util')>('node:util');
  const nodeLog = util?.debuglog(SECTION);
  // Node decides from NODE_DEBUG as it was at start-up, Bun not at all: when it disagrees, the
  // variable (read above) wins and the fallback prints.
  if (nodeLog?.enabled) return nodeLog;
  const pid = (globalThis.process as { pid?: number } | undefined)?.pid;
  const prefix = `${SECTION.toUpperCase()}${typeof pid === 'number' ? ` ${pid}` : ''}: `;
  return (format, ...args) => console.error(prefix + format, ...args);
}
