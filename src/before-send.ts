import type { GroupCall, IdentifyCall, Properties, TrackCall } from './calls.js';
import { invalidArgument, LetterError } from './errors.js';
import { buildGroup, buildIdentify, buildTrack, type SerializedMessage } from './messages.js';
import { describe, describeThrown } from './describe.js';

/** A call as `beforeSend` sees it: the camelCase call shape plus its `type`. */
export type Message =
  | ({ type: 'identify' } & IdentifyCall)
  | ({ type: 'group' } & GroupCall)
  | ({ type: 'track' } & TrackCall);

/** Runs at every call: return the message (changed or not) to send it, or `null` to drop it. */
export type BeforeSend = (message: Message) => Message | null;

/**
 * Passes a call through `beforeSend` and builds what it returns, validated like any call.
 * Returns undefined when `beforeSend` dropped the message.
 */
export function buildThrough(beforeSend: BeforeSend, type: Message['type'], call: object): SerializedMessage | undefined {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    throw invalidArgument(`${type}() expects an object such as { userId, ... }, got ${describe(call)}`);
  }
  let result: Message | null;
  try {
    result = beforeSend(copyForHook(type, call));
  } catch (error) {
    throw new LetterError(`beforeSend threw: ${describeThrown(error)}`, { code: 'invalid_argument', cause: error });
  }
  if (result === null) return undefined;
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw invalidArgument(`beforeSend must return the message or null, got ${describe(result)}`);
  }
  const { type: resultType, ...resultCall } = result;
  try {
    if (resultType === 'identify') return buildIdentify(resultCall as IdentifyCall);
    if (resultType === 'group') return buildGroup(resultCall as GroupCall);
    if (resultType === 'track') return buildTrack(resultCall as TrackCall);
  } catch (error) {
    if (error instanceof LetterError) throw invalidArgument(`${error.message} (in the message beforeSend returned)`);
    throw error;
  }
  throw invalidArgument(`beforeSend returned a message whose type is ${describe(resultType)}; expected identify, group or track`);
}

/**
 * The hook gets its own copy of the call and of its traits/properties, so that the common
 * `delete message.properties.email` scrubs the event without touching the caller's object.
 * Nested objects are shared: replace them rather than mutating them in place.
 */
function copyForHook(type: Message['type'], call: object): Message {
  const copy = { ...call, type } as Message & { traits?: unknown; properties?: unknown };
  if (isPlainObject(copy.traits)) copy.traits = { ...copy.traits };
  if (isPlainObject(copy.properties)) copy.properties = { ...copy.properties };
  return copy;
}

function isPlainObject(value: unknown): value is Properties {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
