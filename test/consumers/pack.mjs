// Packs letterapp the way `npm publish` would and installs the tarball into throwaway projects.
// Shared by test/consumers/consumers.test.ts and test/runtimes/run.mjs; plain ESM so that a bare
// `node` can run it without a TypeScript step.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where letterapp's package.json is). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a command without a shell and collects its output. Resolves with the exit code and the
 * output whatever the exit code; rejects only when the command cannot be started, or when it is
 * still running after `timeoutMs` (it is then killed).
 */
export function run(command, args, { cwd, env, timeoutMs = 120_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env: env ?? cleanEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms (killed)\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr, ms: Date.now() - started });
    });
    if (input !== undefined) {
      // A child that exits without reading its input closes the pipe: EPIPE here is not a failure
      // of the run (its exit code says how it went), and unhandled it would crash this process.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/**
 * The environment for child processes: this process's, less what `npm run` and vitest add that
 * would make a nested npm or node behave as if it were inside this repository.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config_local_prefix|package_|lifecycle_)/i.test(key)) continue;
    if (key === 'INIT_CWD' || key === 'NODE_OPTIONS' || key === 'VITEST' || key.startsWith('VITEST_')) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

/** Throws unless the command exited 0, with its output in the message. */
export function expectSuccess(result, what) {
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

/**
 * `npm pack` of the current build into `destDir`; returns the tarball's absolute path and the list of
 * files in it. Scripts are not run (no `prepack` rebuild): the tarball holds the dist/ that the
 * rest of the suite tests, and a rebuild here would race with test files that import dist/.
 */
export async function packTarball(destDir) {
  if (!existsSync(join(ROOT, 'dist', 'index.js')) || !existsSync(join(ROOT, 'dist', 'testing.cjs'))) {
    throw new Error('dist/ is missing or incomplete: run `npm run build` first (`npm test` builds before testing)');
  }
  const result = expectSuccess(
    await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir], { cwd: ROOT }),
    'npm pack',
  );
  // npm prints the JSON report on stdout; anything before its opening bracket is noise.
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))[0];
  return { tarball: join(destDir, report.filename), files: report.files.map((file) => file.path), ms: result.ms };
}

/**
 * Installs the tarball into `dir` (which gets a package.json naming it as the only dependency),
 * offline: letterapp has no dependencies, so nothing is fetched. Returns the install's duration.
 */
export async function installTarball(dir, tarball, extraPackageJson = {}) {
  const manifest = { name: 'letterapp-consumer', private: true, dependencies: { letterapp: `file:${tarball}` }, ...extraPackageJson };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const result = expectSuccess(
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: dir }),
    'npm install of the packed tarball',
  );
  return { ms: result.ms };
}
