import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', 'node-http': 'src/node-http.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // Both builds run at once: never delete the CLI build's output.
    clean: ['!cli.js'],
    // Node 18 is the oldest runtime in the support matrix; nothing newer is down-levelled away.
    target: 'node18',
    platform: 'node',
    sourcemap: false,
    splitting: false,
  },
  {
    // The `letterapp` command: ESM only, since it is run, never imported.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node18',
    platform: 'node',
    sourcemap: false,
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
