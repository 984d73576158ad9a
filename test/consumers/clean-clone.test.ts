/**
 * `npm pack` on a fresh clone ships the build: dist/ is not committed, so the package's `prepack`
 * script must build it, or the tarball holds only README, CHANGELOG, LICENSE and package.json.
 *
 * The clone is of this repository's HEAD, so the test sees committed state only: commit before
 * running it. node_modules is this checkout's, linked in, so nothing is installed.
 * (pack.mjs packs with --ignore-scripts instead, to test the dist/ the rest of the suite tests.)
 */
import { mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cleanEnv, expectSuccess, ROOT, run } from './pack.mjs';

/** A clone, a build and a pack on a loaded 2-core machine: generous, never waited out on success. */
const SLOW = 120_000;

let work: string | undefined;

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('npm pack in a fresh clone builds first and ships dist/ (ESM, CommonJS, types and the CLI)', { timeout: SLOW }, async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'letterapp-clean-clone-')));
  const clone = join(work, 'clone');
  const head = expectSuccess(await run('git', ['rev-parse', 'HEAD'], { cwd: ROOT }), 'git rev-parse HEAD (this test needs a git checkout)').stdout.trim();
  expectSuccess(await run('git', ['clone', '--quiet', '--shared', '--no-checkout', ROOT, clone]), 'git clone');
  expectSuccess(await run('git', ['checkout', '--quiet', '--detach', head], { cwd: clone }), 'git checkout');
  await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');

  const packed = expectSuccess(
    await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, env: cleanEnv(), timeoutMs: SLOW }),
    'npm pack in a fresh clone',
  );
  // The whole of stdout is the JSON report: a prepack that printed there would break
  // `npm pack --json` for every tool that reads it.
  const [report] = JSON.parse(packed.stdout) as [{ filename: string }];
  const listing = expectSuccess(await run('tar', ['-tzf', join(work, report.filename)]), 'tar -tzf').stdout;
  const files = listing.trim().split('\n').map((entry) => entry.replace(/^package\//, ''));

  expect(files).toEqual(expect.arrayContaining([
    'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts',
    'dist/testing.js', 'dist/testing.cjs', 'dist/testing.d.ts', 'dist/testing.d.cts',
    'dist/cli.js',
    'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md',
  ]));
  // The fleet simulation and the benchmark are development tools, never shipped.
  expect(files.filter((file) => /^(sim|bench)\//.test(file))).toEqual([]);
});
