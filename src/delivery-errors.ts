import { plural } from './describe.js';
import { decodeMessages, type EncodedMessages } from './batch.js';
import { LetterError, type WireMessage } from './errors.js';
import type { Failure } from './transport.js';

/** The reports delivery hands to onError, worded in one place. */

/** Messages given up: handed over as sent, with how sure we are that they were not stored. */
export function givenUpError(encoded: EncodedMessages, failure: Failure, attempts: number, ambiguous: boolean): LetterError {
  const { message, ...details } = failure;
  const messages = JSON.parse(`[${decodeMessages(encoded)}]`) as WireMessage[];
  const count = plural(messages.length, 'message');
  const after = attempts > 0 ? ` after ${plural(attempts, 'attempt')}` : '';
  // A timeout or a gateway error may hide a stored batch; saying "not delivered" would be wrong.
  const summary = ambiguous
    ? `${count} may not have been delivered${after}; replaying LetterError.messages is safe, since the API deduplicates on message_id`
    : `${count} not delivered${after}`;
  return new LetterError(`${message} (${summary})`, { ...details, messages });
}

/** Delivery started failing: nothing is handed over, the messages are held. */
export function outageError(failure: Failure, held: number): LetterError {
  const { message, code: _code, ...details } = failure;
  return new LetterError(
    `Delivery is failing (${message}): holding ${plural(held, 'message')} and retrying in the background with backoff until the API answers; nothing is lost unless the queue reaches maxQueueBytes`,
    { ...details, code: 'api_unavailable', held },
  );
}

export function queueFullError(dropped: number, maxQueueBytes: number): LetterError {
  return new LetterError(`Queue full (maxQueueBytes ${maxQueueBytes}): dropped ${plural(dropped, 'message')}`, { code: 'queue_full', dropped });
}

/** Why close()'s deadline gave messages up: before they were sent, or while a retry waited. */
export function abandonedFailure(timeoutMs: number, lastFailure: Failure | undefined): Failure {
  if (lastFailure === undefined) return { code: 'timeout', message: `close() gave up after ${timeoutMs} ms before sending` };
  return { ...lastFailure, code: 'timeout', message: `close() gave up after ${timeoutMs} ms while waiting to retry; last failure: ${lastFailure.message}` };
}
