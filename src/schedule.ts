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

/** Resolves after `delayMs` without holding the event loop open; a pending flush() holds it instead. */
export function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => unrefTimeout(resolve, delayMs));
}

/**
 * Keeps the process alive until the returned function is called: an awaited flush() or close()
 * must finish even when its only pending work is an unref'd retry wait.
 */
export function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 31 - 1);
  return () => clearInterval(handle);
}
