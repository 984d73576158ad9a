/**
 * What the app under load embeds (`npm run bench:host`): nothing, letterapp (three transports),
 * the hand-written floor, or a peer from sdks.mjs. `create(base)` returns `{ track, drain }` like
 * sdks.mjs, or null for the app without an SDK.
 */
import { fileURLToPath } from 'node:url';
import { hostFloor, SDKS, sdkById } from './sdks.mjs';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

async function letterapp(base, fetch) {
  const { Letter } = await import(`${ROOT_DIR}dist/index.js`);
  const letter = new Letter({ apiKey: 'lt_test_bench', baseUrl: base, ...(fetch && { fetch }) });
  return { track: (e) => letter.track(e), drain: () => letter.close() };
}

const INSTANT_ANSWER = '{"ok":true,"received":50,"duplicates":0}';

/** A fetch that answers 200 at once without any HTTP: what letterapp costs minus the transport. */
async function instantFetch() {
  return new Response(INSTANT_ANSWER, { status: 200, headers: { 'content-type': 'application/json' } });
}

export const HOST_VARIANTS = [
  { id: 'none', label: 'no SDK', create: async () => null },
  { id: 'letterapp', label: 'letterapp (global fetch)', create: (base) => letterapp(base) },
  {
    id: 'letterapp-node-http',
    label: 'letterapp + letterapp/node-http',
    async create(base) {
      const { nodeHttpFetch } = await import(`${ROOT_DIR}dist/node-http.js`);
      return letterapp(base, nodeHttpFetch);
    },
  },
  { id: 'floor', label: 'hand-written floor (stringify + fetch, 50 events or 100 ms)', create: async (base) => hostFloor(base) },
  ...SDKS.filter((sdk) => sdk.pkg).map((sdk) => ({ id: sdk.id, label: sdk.label, peer: true, create: (base) => sdkById(sdk.id).create(base) })),
  // Diagnostic, not a transport anyone would ship: the events are not delivered.
  { id: 'letterapp-instant', label: 'letterapp, fetch answers at once (no HTTP)', diagnostic: true, create: (base) => letterapp(base, instantFetch) },
];

export function hostVariant(id) {
  const variant = HOST_VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`unknown variant ${id}; known: ${HOST_VARIANTS.map((v) => v.id).join(', ')}`);
  return variant;
}
