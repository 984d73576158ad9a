// Runs a Worker-shaped smoke module in Vercel's Edge runtime (the edge-runtime package in
// LETTER_RUNTIME_DIR), bundled first as Next.js bundles edge code: the package resolved with the
// edge-light/worker/browser conditions, nothing of Node's available (a `node:` import fails the
// bundle), then evaluated in the runtime with `process.env` as Next provides it. The module's
// `fetch(request, env, ctx)` is driven from a fetch event, whose `waitUntil` is the `ctx`.
// See outbound.mjs for the arguments and how outbound requests are routed.

import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOutbound, parseHostArgs } from './outbound.mjs';

const { file, respondFirst } = parseHostArgs();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const requireFromRuntime = createRequire(join(process.env.LETTER_RUNTIME_DIR, 'package.json'));
const { EdgeRuntime } = await import(pathToFileURL(requireFromRuntime.resolve('edge-runtime')).href);
// esbuild stands in for Next's bundler; it is the one tsup (a dev dependency) builds the SDK with.
const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsup'))('esbuild');

const bundle = await esbuild.build({
  stdin: {
    contents: [
      `import worker from './${basename(file)}';`,
      'addEventListener("fetch", (event) => event.respondWith(worker.fetch(event.request, process.env, event)));',
    ].join('\n'),
    resolveDir: dirname(file),
  },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  conditions: ['edge-light', 'worker', 'browser'],
  target: 'es2022',
  logLevel: 'silent',
});

const outbound = createOutbound({ respondFirst });
const runtime = new EdgeRuntime({
  initialCode: bundle.outputFiles[0].text,
  extend: (context) => {
    // Next's edge sandbox gives route code `process.env` (and nothing else of `process`).
    context.process = { env: { LETTER_API_KEY: process.env.LETTER_API_KEY } };
    // The runtime's own fetch, its requests routed as outbound.mjs says.
    const runtimeFetch = context.fetch;
    context.fetch = async (input, init) => {
      const url = input instanceof context.Request ? input.url : String(input);
      const target = outbound.route(url);
      if (!target) return new context.Response(`refused by the matrix: ${url} is not loopback`, { status: 502 });
      await outbound.beforeSend();
      const response = await runtimeFetch(target, init);
      outbound.sent(init?.body, response);
      return response;
    };
    return context;
  },
});
const body = await outbound.exchange(async () => {
  const response = await runtime.dispatchFetch('http://edge.local/');
  return { response, waitUntilSettled: () => response.waitUntil() };
});
console.log(body);
