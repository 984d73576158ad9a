/**
 * Every contender, each with its default settings: only the key and the address of the sink are
 * given. `create(base)` gets the sink's run prefix (`http://127.0.0.1:<port>/r/<run>`) and returns
 * `track(event)` (one call of the SDK's own API for the shared event) and `drain()` (the SDK's
 * own way to deliver everything and shut down).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
// versus.mjs points this at another build's dist/ (an earlier commit), to time the two side by side.
const LETTERAPP_DIST = process.env.BENCH_LETTERAPP_DIST ?? `${ROOT_DIR}dist/`;

export const SDKS = [
  {
    id: 'letterapp',
    label: 'letterapp',
    // Loaded from the root package's build, never from a registry.
    esm: `${LETTERAPP_DIST}index.js`,
    cjs: `${LETTERAPP_DIST}index.cjs`,
    async create(base) {
      const { Letter } = await import(`${LETTERAPP_DIST}index.js`);
      const letter = new Letter({ apiKey: 'lt_test_bench', baseUrl: base });
      return {
        track: (e) => letter.track(e),
        flush: () => letter.flush(),
        drain: () => letter.close(),
      };
    },
  },
  {
    id: 'baseline',
    label: 'baseline (stringify+fetch)',
    esm: null,
    cjs: null,
    async create(base) {
      return handWritten(`${base}/v1/batch`, 'Bearer lt_test_bench');
    },
  },
  {
    id: 'segment',
    label: '@segment/analytics-node',
    pkg: '@segment/analytics-node',
    async create(base) {
      const { Analytics } = await import('@segment/analytics-node');
      // Segment resolves `path` against the host's origin, so the run prefix goes in `path`.
      const { pathname, origin } = new URL(base);
      const analytics = new Analytics({ writeKey: 'bench', host: origin, path: `${pathname}/v1/batch` });
      return {
        track: (e) => analytics.track(e),
        flush: () => analytics.flush(),
        drain: () => analytics.closeAndFlush(),
      };
    },
  },
  {
    id: 'posthog',
    label: 'posthog-node',
    pkg: 'posthog-node',
    async create(base) {
      const { PostHog } = await import('posthog-node');
      const client = new PostHog('phc_bench', { host: base });
      return {
        track: (e) => client.capture({ distinctId: e.userId, event: e.event, properties: e.properties }),
        flush: () => client.flush(),
        drain: () => client.shutdown(),
      };
    },
  },
  {
    id: 'amplitude',
    label: '@amplitude/analytics-node',
    pkg: '@amplitude/analytics-node',
    async create(base) {
      const amplitude = await import('@amplitude/analytics-node');
      const client = amplitude.createInstance();
      await client.init('bench', { serverUrl: `${base}/2/httpapi` }).promise;
      return {
        track: (e) => { client.track(e.event, e.properties, { user_id: e.userId }); },
        flush: () => client.flush().promise,
        drain: () => client.flush().promise,
      };
    },
  },
  {
    id: 'rudderstack',
    label: '@rudderstack/rudder-sdk-node',
    pkg: '@rudderstack/rudder-sdk-node',
    async create(base) {
      const { default: Analytics } = await import('@rudderstack/rudder-sdk-node');
      const client = new Analytics('bench', { dataPlaneUrl: base });
      return {
        track: (e) => { client.track(e); },
        flush: () => client.flush(),
        // flush() sends one batch of flushAt (20) events; repeat until the queue is empty.
        async drain() {
          do await client.flush(); while (client.queue.length > 0);
        },
      };
    },
  },
];

for (const sdk of SDKS) {
  if (sdk.pkg) {
    sdk.esm = sdk.pkg;
    sdk.cjs = sdk.pkg;
  }
}

export function sdkById(id) {
  const sdk = SDKS.find((s) => s.id === id);
  if (!sdk) throw new Error(`unknown SDK ${id}; known: ${SDKS.map((s) => s.id).join(', ')}`);
  return sdk;
}

/** The URL `import` resolves a peer's package name to (its ESM entry, when it has one). */
export function esmEntryUrl(sdk) {
  return import.meta.resolve(sdk.pkg);
}

/** The file a bundler starts from for `sdk`'s main entry (CJS `require` resolution). */
export function mainEntryFile(sdk, format) {
  if (sdk.id === 'letterapp') return format === 'esm' ? sdk.esm : sdk.cjs;
  return require.resolve(sdk.pkg, { paths: [BENCH_DIR] });
}

/**
 * The floor under request load (`npm run bench:host`): the hand-written client with letterapp's
 * default batching, one body per 50 events or 100 ms, whichever comes first.
 */
export function hostFloor(base) {
  return handWritten(`${base}/v1/batch`, 'Bearer lt_test_bench', { bodyEvents: 50, intervalMs: 100 });
}

/**
 * The floor: what anyone would write by hand. Each call stringifies the message; every
 * `bodyEvents` messages (500 unless told), or `intervalMs` after the first of them when that is
 * set, become one body, sent with fetch, at most 4 requests in flight. No validation, no retries,
 * no bound on memory.
 */
function handWritten(endpoint, authorization, { bodyEvents = 500, intervalMs = 0 } = {}) {
  const BODY_EVENTS = bodyEvents;
  const MAX_IN_FLIGHT = 4;
  let timer = null;
  let buffer = [];
  const ready = [];
  let inFlight = 0;
  let idle = null;

  function pump() {
    while (inFlight < MAX_IN_FLIGHT && ready.length > 0) send(ready.shift());
    if (inFlight === 0 && ready.length === 0 && idle) {
      idle();
      idle = null;
    }
  }

  function send(messages) {
    inFlight += 1;
    const body = `{"batch":[${messages.join(',')}],"sent_at":"${new Date().toISOString()}"}`;
    fetch(endpoint, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body,
    })
      .then((res) => res.arrayBuffer())
      .catch((error) => console.error(`baseline: ${error}`))
      .finally(() => {
        inFlight -= 1;
        pump();
      });
  }

  const drain = () => {
    clearTimeout(timer);
    timer = null;
    if (buffer.length > 0) {
      ready.push(buffer);
      buffer = [];
    }
    return new Promise((resolve) => {
      idle = resolve;
      pump();
    });
  };

  return {
    flush: drain,
    drain,
    track(e) {
      buffer.push(JSON.stringify({
        type: 'track',
        message_id: randomUUID(),
        timestamp: new Date().toISOString(),
        user_id: String(e.userId),
        event: e.event,
        properties: e.properties,
      }));
      if (buffer.length >= BODY_EVENTS) {
        clearTimeout(timer);
        timer = null;
        ready.push(buffer);
        buffer = [];
        pump();
      } else if (intervalMs > 0 && timer === null) {
        timer = setTimeout(() => {
          timer = null;
          if (buffer.length === 0) return;
          ready.push(buffer);
          buffer = [];
          pump();
        }, intervalMs);
      }
    },
  };
}
