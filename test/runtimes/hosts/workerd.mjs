// Runs a Worker-shaped smoke module in workerd (Cloudflare's runtime, from the miniflare package in
// LETTER_RUNTIME_DIR), WITHOUT nodejs_compat, the SDK loaded as the packed ES module build, as is.
// See outbound.mjs for the arguments and how outbound requests are routed.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOutbound, parseHostArgs, SETTLED_URL } from './outbound.mjs';

const { file, respondFirst } = parseHostArgs();
const project = dirname(file);
const requireFromRuntime = createRequire(join(process.env.LETTER_RUNTIME_DIR, 'package.json'));
const { Miniflare, Log, LogLevel } = await import(pathToFileURL(requireFromRuntime.resolve('miniflare')).href);
// The file a bundler's `import` resolves to (createRequire would give the CommonJS build).
const sdkDir = join(project, 'node_modules', 'letterapp');
const sdkEntry = join(sdkDir, JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8')).exports['.'].import.default);

// The Worker as deployed, wrapped to tell the host when what it handed to ctx.waitUntil has
// settled (workerd offers the host no way to wait for that).
const WRAPPER = `
import smoke from './smoke.mjs';
export default {
  async fetch(request, env, ctx) {
    const pending = [];
    const tracked = { waitUntil: (promise) => { pending.push(promise); ctx.waitUntil(promise); }, passThroughOnException: () => ctx.passThroughOnException() };
    const response = await smoke.fetch(request, env, tracked);
    ctx.waitUntil(Promise.allSettled(pending).then(() => fetch(${JSON.stringify(SETTLED_URL)})));
    return response;
  },
};`;

const outbound = createOutbound({ respondFirst });
const miniflare = new Miniflare({
  // Module names are the import specifiers: the Worker imports 'letterapp' as a bundler would
  // resolve it, and gets the package's ES module build unchanged.
  modules: [
    { type: 'ESModule', path: 'worker.mjs', contents: WRAPPER },
    { type: 'ESModule', path: 'smoke.mjs', contents: await readFile(file, 'utf8') },
    { type: 'ESModule', path: 'letterapp', contents: await readFile(sdkEntry, 'utf8') },
  ],
  compatibilityDate: '2025-09-01',
  // None: in particular not nodejs_compat.
  compatibilityFlags: [],
  bindings: { LETTER_API_KEY: process.env.LETTER_API_KEY },
  outboundService: outbound.relay,
  // No request.cf lookup: it would fetch workers.cloudflare.com.
  cf: false,
  log: new Log(LogLevel.WARN),
});
try {
  const body = await outbound.exchange(async () => ({
    response: await miniflare.dispatchFetch('http://worker.local/'),
    waitUntilSettled: () => outbound.settled,
  }));
  console.log(body);
} finally {
  await miniflare.dispose();
}
