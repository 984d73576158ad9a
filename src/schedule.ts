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
 * Resolves after `delayMs`, or as soon as `signal` aborts, without holding the event loop open
 * (a pending flush() holds it instead).
 */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = unrefTimeout(done, delayMs);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Keeps the process alive until the returned function is called: an awaited flush() or close()
 * must finish even when its only pending work is an unref'd retry wait.
 */
export function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 31 - 1);
  return () => clearInterval(handle);
}

/** Runs `callback` on a later turn of the event loop (after pending I/O), without holding the loop open. */
export function unrefImmediate(callback: () => void): void {
  if (typeof setImmediate === 'function') {
    (setImmediate(callback) as Unrefable).unref?.();
  } else {
    unrefTimeout(callback, 0);
  }
}
