/** Timers that never keep the process alive on their own. */

interface Unrefable {
  unref?: () => unknown;
}

/** setTimeout whose timer does not hold the event loop open. */
export function unrefTimeout(callback: () => void, delayMs: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(callback, delayMs);
  (timer as Unrefable).unref?.();
  return timer;
}

/**
 * Keeps the process alive until the returned function is called: an awaited flush() or close()
 * must finish even when its only pending work is an unref'd retry wait.
 */
export function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 31 - 1);
  return () => clearInterval(handle);
}

/**
 * Runs `callback` on the next turn of the event loop, after pending I/O. It is ref'd on purpose:
 * an unref'd immediate does not wake an event loop blocked waiting for I/O, so a send that is due
 * could wait seconds for an unrelated wake-up. It runs once, at once, so it never keeps a process
 * alive on its own.
 */
export function nextTurn(callback: () => void): void {
  if (typeof setImmediate === 'function') setImmediate(callback);
  else setTimeout(callback, 0);
}
