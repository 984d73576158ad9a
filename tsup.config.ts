import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // Node 18 is the oldest runtime in the support matrix; nothing newer is down-levelled away.
  target: 'node18',
  platform: 'node',
  sourcemap: false,
  splitting: false,
});
