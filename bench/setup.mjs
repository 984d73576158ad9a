/**
 * What the bench scripts need before they measure anything: the SDK's build and the bench's own
 * dependencies (the peers, autocannon, Express), installed into bench/ and never into the SDK.
 * Uses nothing but Node itself, since it runs before those dependencies exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const log = (line) => process.stderr.write(`${line}\n`);

/** Builds the SDK when any of `files` (paths under dist/) is missing. */
export function ensureBuilt(files) {
  if (files.every((file) => existsSync(`${ROOT_DIR}dist/${file}`))) return;
  if (!existsSync(`${ROOT_DIR}node_modules/.bin/tsup`)) {
    // --no-save: installing to build must not rewrite the root's package files.
    log('bench: installing the root dev dependencies (npm install --no-save) to build the SDK…');
    execFileSync(NPM, ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: ROOT_DIR, stdio: ['ignore', 2, 2] });
  }
  log('bench: building the SDK (npm run build)…');
  execFileSync(NPM, ['run', 'build'], { cwd: ROOT_DIR, stdio: ['ignore', 2, 2] });
}

/** Installs bench/package.json's dependencies when any of them is missing. */
export function ensureBenchDeps() {
  const pkg = JSON.parse(readFileSync(`${BENCH_DIR}package.json`, 'utf8'));
  const missing = Object.keys(pkg.dependencies).filter((name) => !existsSync(`${BENCH_DIR}node_modules/${name}/package.json`));
  if (missing.length === 0) return;
  log(`bench: installing the benchmark's dependencies (npm install in bench/: ${missing.join(', ')})…`);
  execFileSync(NPM, ['install', '--no-audit', '--no-fund'], { cwd: BENCH_DIR, stdio: ['ignore', 2, 2] });
}
