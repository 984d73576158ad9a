import { inspect } from 'node:util';
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

  it('warns once when baseUrl sends the key unencrypted to another host, and never for loopback', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      new Letter({ apiKey: SECRET, baseUrl: 'http://127.0.0.1:9' });
      new Letter({ apiKey: SECRET, baseUrl: 'http://localhost:9' });
      new Letter({ apiKey: SECRET, baseUrl: 'https://letter.example' });
      new Letter({ apiKey: SECRET, baseUrl: 'http://letter.example' });
      new Letter({ apiKey: SECRET, baseUrl: 'http://letter.example/ingest' });
      await new Promise((resolve) => process.nextTick(resolve)); // emitWarning delivers on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.message)).toEqual([
      'letterapp: baseUrl http://letter.example is not HTTPS; the API key and events are sent unencrypted',
    ]);
    expect((warnings[0] as Error & { code?: string }).code).toBe('LETTERAPP_INSECURE_BASE_URL');
  });
});
