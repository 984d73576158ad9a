import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { startTestServer } from '../../src/testing/index.js';

const KEY = 'lt_test_debugsecret';

it('NODE_DEBUG=letterapp logs each request, retry wait and drop, and never the API key', async () => {
  const server = await startTestServer({ apiKey: KEY });
  try {
    server.reply({ status: 503 });
    const script = fileURLToPath(new URL('./fixtures/debug.mjs', import.meta.url));
    const { stderr } = await promisify(execFile)(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', NODE_DEBUG: 'letterapp', LETTER_API_KEY: KEY, LETTER_BASE_URL: server.url },
    });
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
