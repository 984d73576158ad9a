// Installs the dependencies of every example project (each folder here with a package.json), for
// test/examples/examples.test.ts: `npm test` runs `node examples/install.mjs --if-needed` first,
// so a fresh clone needs only `npm install && npm test`. Each example depends on the SDK as
// `file:../..`, a symlink to the repository root, so build the root before running an example.
// `npm install` rather than `npm ci`: each lockfile also records the root's devDependencies, so a
// change there updates the lockfiles instead of failing the install.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = fileURLToPath(new URL('.', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ifNeeded = process.argv.includes('--if-needed');

/** Installed, and not older than the manifest and lockfile it was installed from. */
function isInstalled(dir) {
  const marker = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  const installedAt = statSync(marker).mtimeMs;
  return ['package.json', 'package-lock.json'].every((file) => !existsSync(join(dir, file)) || statSync(join(dir, file)).mtimeMs <= installedAt);
}

for (const entry of readdirSync(examples, { withFileTypes: true })) {
  const dir = join(examples, entry.name);
  if (!entry.isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
  if (ifNeeded && isInstalled(dir)) continue;
  console.log(`examples/${entry.name}: npm install`);
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
}
