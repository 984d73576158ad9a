/**
 * Delivers what is still queued when the event loop empties (`beforeExit`). One process listener
 * serves every client; only clients with undelivered messages are held here, so idle or closed
 * clients add nothing and can be garbage-collected. It does not run on `process.exit()` or on
 * signals, which is why `close()` remains the way to shut down.
 */

const pendingFlushes = new Map<object, () => Promise<void>>();
let listening = false;

/** Marks `client` as holding undelivered messages, to be flushed if the process runs out of work. */
export function holdForExit(client: object, flush: () => Promise<void>): void {
  pendingFlushes.set(client, flush);
  if (!listening && typeof process !== 'undefined' && typeof process.on === 'function') {
    listening = true;
    process.on('beforeExit', flushPending);
  }
}

/** Marks `client` as having nothing left to deliver. */
export function releaseForExit(client: object): void {
  pendingFlushes.delete(client);
}

function flushPending(): void {
  // Each flush keeps the loop alive until it settles; `beforeExit` fires again afterwards, and
  // by then the map is empty (or holds only messages that arrived since), so this cannot spin.
  for (const flush of pendingFlushes.values()) {
    flush().catch(() => {});
  }
}
