import type { LetterError } from './errors.js';
import { describeThrown } from './describe.js';
import { printable } from './printable.js';

/** One report waiting to be handed to onError, and how deep in onError it was raised. */
interface Pending {
  readonly error: LetterError;
  readonly depth: number;
}

/**
 * Hands reports to the user's `onError`, never from the middle of a state change: a report is
 * queued and delivered on a microtask (or at once, from a public call that has finished its
 * work), so whatever onError does (flush(), close(), track()) finds the client consistent.
 * Reports raised inside onError are delivered after it returns, never by recursion; a report
 * raised while handling such a second-generation report goes to stderr instead, so an onError
 * that always calls track() after close() cannot loop forever. Nothing onError throws escapes.
 */
export class Reporter {
  readonly #onError: (error: LetterError) => void;
  readonly #pending: Pending[] = [];
  /** The depth of the report being handed over now; -1 when none is. */
  #currentDepth = -1;
  #scheduled = false;

  constructor(onError: (error: LetterError) => void) {
    this.#onError = onError;
  }

  /** Queues a report, delivered on a microtask. */
  report(error: LetterError): void {
    this.#pending.push({ error, depth: this.#currentDepth + 1 });
    if (this.#currentDepth >= 0 || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.deliver();
    });
  }

  /** Queues a report and delivers at once, for a public call whose own work is done. */
  reportNow(error: LetterError): void {
    this.#pending.push({ error, depth: this.#currentDepth + 1 });
    this.deliver();
  }

  /** Hands every queued report to onError, unless that is already under way further up the stack. */
  deliver(): void {
    if (this.#currentDepth >= 0) return;
    try {
      for (let next = this.#pending.shift(); next !== undefined; next = this.#pending.shift()) {
        this.#currentDepth = next.depth;
        if (next.depth > 1) warn(`letterapp: ${printable(next.error.message)} (raised inside onError while it handled an earlier report; not passed to onError again)`);
        else this.#handOver(next.error);
      }
    } finally {
      this.#currentDepth = -1;
    }
  }

  #handOver(error: LetterError): void {
    try {
      this.#onError(error);
    } catch (thrown) {
      warn(`letterapp: onError threw (${printable(describeThrown(thrown, true))}) while reporting: ${printable(error.message)}`);
    }
  }
}

function warn(line: string): void {
  try {
    console.warn(line);
  } catch {
    // A console that throws (a closed stream, a hostile patch) must not take the host down.
  }
}
