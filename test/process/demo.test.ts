import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('`npm run demo` shows a retried request and the three stored messages', async () => {
  const demo = fileURLToPath(new URL('../../examples/demo.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [demo]);
  expect(stdout).toMatch(/request 1: POST \/v1\/batch -> 503/);
  expect(stdout).toMatch(/request 2: POST \/v1\/batch -> 200/);
  expect(stdout).toContain('The server stored 3 messages:');
  expect(stdout).toContain('"event":"Workspace Created"');
});
