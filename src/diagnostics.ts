import { loadBuiltin } from './builtin.js';

/**
 * `node:diagnostics_channel` publishing, for APM agents and OpenTelemetry, as undici and fastify
 * do. Channel names and payloads are public API (see the README). Payloads carry the endpoint,
 * counts, sizes, statuses and codes: never the API key, never message contents.
 */
export const CHANNELS = {
  requestStart: 'letterapp:request:start',
  requestEnd: 'letterapp:request:end',
  retry: 'letterapp:retry',
  drop: 'letterapp:drop',
  giveUp: 'letterapp:give-up',
} as const;

type ChannelKey = keyof typeof CHANNELS;

interface ChannelLike {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** Looked up on first use, not at import: import time stays as it was, and runtimes without the module publish nothing. */
let channels: Record<ChannelKey, ChannelLike> | null | undefined;

/** The channels; null where the runtime has no such module; undefined while it cannot tell yet. */
function resolveChannels(): Record<ChannelKey, ChannelLike> | null | undefined {
  try {
    const module = loadBuiltin<{ channel?: (name: string) => ChannelLike }>('node:diagnostics_channel');
    // Node 18's ES module build finds built-ins only after a dynamic import settles: ask again later.
    if (module === undefined) return undefined;
    if (typeof module.channel !== 'function') return null;
    const open = module.channel;
    return {
      requestStart: open(CHANNELS.requestStart),
      requestEnd: open(CHANNELS.requestEnd),
      retry: open(CHANNELS.retry),
      drop: open(CHANNELS.drop),
      giveUp: open(CHANNELS.giveUp),
    };
  } catch {
    return null;
  }
}

/**
 * Publishes `build()`'s payload on a channel, building it only when someone subscribes: with no
 * subscriber this is one property read. A subscriber that throws is its own problem: Node reports
 * it on the next tick, and delivery goes on.
 */
export function publish(key: ChannelKey, build: () => object): void {
  if (channels === undefined) channels = resolveChannels();
  const channel = channels?.[key];
  if (channel?.hasSubscribers) channel.publish(build());
}
