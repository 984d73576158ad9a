import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/index.js';

const KEY = 'lt_test_debugsecret';

/** Runs a fixture with the built package against `server`; resolves with its stderr. */
async function stderrOf(fixture: string, server: TestServer, env: Record<string, string> = {}): Promise<string> {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const { stderr } = await promisify(execFile)(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', LETTER_API_KEY: KEY, LETTER_BASE_URL: server.url, ...env },
  });
  return stderr;
}

it('NODE_DEBUG=letterapp logs each request, retry wait and drop, and never the API key', async () => {
  const server = await startTestServer({ apiKey: KEY });
  try {
    server.reply({ status: 503 });
    const stderr = await stderrOf('debug.mjs', server, { NODE_DEBUG: 'letterapp' });
    const lines = stderr.trim().split('\n');
    const endpoint = `${server.url}/v1/batch`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const line = (pattern: string) => expect.stringMatching(new RegExp(`^LETTERAPP \\d+: ${pattern}$`));
    expect(lines[0]).toEqual(line('dropped a track message: queue full \\(maxQueueBytes 1048576\\)'));
    expect(lines).toEqual(expect.arrayContaining([
      line(`POST ${endpoint}: \\d+ messages, \\d+ bytes, attempt 1 -> 503 in \\d+ ms`),
      line('retrying \\d+ messages in \\d+ ms \\(backoff\\)'),
      line(`POST ${endpoint}: \\d+ messages, \\d+ bytes, attempt 2 -> 200 in \\d+ ms`),
      line('API answering again: draining \\d+ held messages, ramping back up to 4 requests at once'),
    ]));
    expect(lines.filter((text) => / -> 200 /.test(text))).toHaveLength(3);
    expect(stderr).not.toContain('debugsecret');
  } finally {
    await server.close();
  }
});

it('without NODE_DEBUG nothing is logged, even where util.debuglog would log every section', async () => {
  const server = await startTestServer({ apiKey: KEY });
  try {
    expect(await stderrOf('debug-shim.mjs', server)).toBe('');
    expect(server.messages).toHaveLength(1);
  } finally {
    await server.close();
  }
});

it('NODE_DEBUG that util.debuglog does not see still logs, through console.error in the same form', async () => {
  const server = await startTestServer({ apiKey: KEY });
  try {
    const endpoint = `${server.url}/v1/batch`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect((await stderrOf('debug-set-late.mjs', server)).trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^LETTERAPP \\d+: POST ${endpoint}: 1 messages, \\d+ bytes, attempt 1 -> 200 in \\d+ ms$`)),
    ]);
  } finally {
    await server.close();
  }
});
