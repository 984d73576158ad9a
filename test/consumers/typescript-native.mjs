// TypeScript 7 (the native compiler) for the consumer tests: what a plain `npm install typescript`
// gets today, while this repository's own build stays on TypeScript ^5.9 (tsup's declaration
// build needs the JavaScript compiler API, which TypeScript 7 does not ship). So it is not a
// devDependency: it is installed on first use into a cache folder, like the runtimes of
// test/runtimes/run.mjs, and later runs reuse it.
//
// Cache: $LETTER_TYPESCRIPT_CACHE, else node_modules/.cache/letterapp-typescript (about 30 MB: the
// `typescript` launcher and its one platform package, @typescript/typescript-<os>-<arch>).

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectSuccess, ROOT, run } from './pack.mjs';

/**
 * The major a plain `npm install typescript` gets today (`npm view typescript dist-tags.latest`).
 * Pinned rather than `latest` so that a new major changes this test by a commit, not by surprise.
 */
export const TYPESCRIPT_NATIVE_RANGE = '^7';

const cacheDir = process.env.LETTER_TYPESCRIPT_CACHE || join(ROOT, 'node_modules', '.cache', 'letterapp-typescript');

/**
 * Installs TypeScript 7 into the cache unless it is already there; resolves with the path of its
 * `tsc` launcher (a JavaScript file: run it with `node`) and the version it reports.
 */
export async function installTypeScriptNative() {
  const dir = join(cacheDir, 'native');
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const manifest = `${JSON.stringify({ name: 'letterapp-typescript-native', private: true, dependencies: { typescript: TYPESCRIPT_NATIVE_RANGE } })}\n`;
  const manifestPath = join(dir, 'package.json');
  const cached = existsSync(tsc) && existsSync(manifestPath) && (await readFile(manifestPath, 'utf8')) === manifest;
  if (!cached) {
    // Installed beside the cache entry and renamed into place, so that a run interrupted halfway,
    // or another test run installing at the same time, never leaves a half-installed compiler.
    const staging = `${dir}.installing-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'package.json'), manifest);
    // Optional dependencies are kept: the compiler binary is the platform's optional dependency.
    const result = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--prefer-offline'], {
      cwd: staging,
      timeoutMs: 300_000,
    });
    expectSuccess(result, `npm install typescript@${TYPESCRIPT_NATIVE_RANGE}`);
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another run put its copy in place first: use that one.
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(tsc)) throw error;
    }
  }
  const version = expectSuccess(await run(process.execPath, [tsc, '--version'], { timeoutMs: 30_000 }), 'tsc --version').stdout.trim();
  return { tsc, version: version.replace(/^Version /, '') };
}
