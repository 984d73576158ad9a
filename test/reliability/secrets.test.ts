import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Letter, type LetterError } from '../../src/index.js';
import { harness } from '../integration/harness.js';

const SECRET = 'lt_live_Zq8wX2sensitive';

describe('the API key never leaks', () => {
  it('not through util.inspect, JSON.stringify, String or any error', async () => {
    const { server } = await harness({}, { apiKey: 'lt_live_someoneelse' });
    const errors: LetterError[] = [];
    const letter = new Letter({ apiKey: SECRET, baseUrl: server.url, maxRetries: 0, onError: (error) => errors.push(error) });
    letter.track({ userId: 1, event: 'e' });
    await letter.close();
    letter.track({ userId: 1, event: 'after close' });
    expect(errors.map((error) => error.code)).toEqual(['http_error', 'closed']);
    const surfaces = [
      inspect(letter, { depth: 10, showHidden: true }),
      JSON.stringify(letter),
      String(letter),
      ...errors.flatMap((error) => [error.message, error.stack ?? '', inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)]),
    ];
    for (const surface of surfaces) expect(surface).not.toContain('Zq8wX2');
  });

  // In a child process: Node prints every process warning on stderr, so one raised in the test
  // worker would land in the middle of `npm test`'s output. Reading the child's stderr also checks
  // what a user actually sees, code included, and that "once" holds for the whole process.
  it('warns once when baseUrl sends the key unencrypted to another host, and never for loopback', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/insecure-warning.mjs', import.meta.url));
    const { stderr } = await promisify(execFile)(process.execPath, [fixture], { env: { PATH: process.env.PATH ?? '' } });
    expect(stderr.split('\n').filter((line) => line.includes('Warning'))).toEqual([
      expect.stringMatching(/^\(node:\d+\) \[LETTERAPP_INSECURE_BASE_URL\] Warning: letterapp: baseUrl http:\/\/letter\.example is not HTTPS; the API key and events are sent unencrypted$/),
    ]);
    expect(stderr).not.toContain('Zq8wX2');
  });
});
