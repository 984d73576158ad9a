/**
 * `letterapp listen` under hostile uploads, measured in its own process: its peak RSS (VmHWM in
 * /proc) stays near its idle size through a gzip bomb and a 300 MB body, where it once reached
 * 1.26 GB and 953 MB; a body too deeply nested to serialize is printed as a 400, not "rejected 0".
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gzipBomb, hostileUpload } from '../support/hostile-upload.js';
import { CliProcess, killLeftovers } from './run-cli.js';

const HEADERS = { authorization: 'Bearer lt_test_limits', 'content-type': 'application/json' };
const MB = 1024 * 1024;
const BASE_URL_LINE = /LETTER_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/;

afterEach(() => killLeftovers());

/** Peak resident set size of `pid` so far, in bytes (Linux). */
function peakRssBytes(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe.runIf(process.platform === 'linux')('letterapp listen keeps its memory bounded', () => {
  it('a gzip bomb and a 300 MB plain body are refused with 413, peak RSS growing by under 60 MB', async () => {
    const cli = new CliProcess(['listen', '--port', '0']);
    const [, baseUrl = ''] = await cli.waitForLine(BASE_URL_LINE);
    const idlePeak = peakRssBytes(cli.pid!);

    const bomb = await gzipBomb(400 * MB);
    const bombed = await hostileUpload(baseUrl, { ...HEADERS, 'content-encoding': 'gzip', 'content-length': String(bomb.byteLength) }, bomb, bomb.byteLength);
    const flooded = await hostileUpload(baseUrl, HEADERS, Buffer.alloc(256 * 1024, 0x20), 300 * MB);
    expect([bombed.status, flooded.status]).toEqual([413, 413]);
    expect(flooded.bytesWrittenBeforeClose).toBeLessThan(32 * MB);
    await cli.waitForLine(/ rejected +413 payload_too_large: body is larger than \d+ bytes; the limit is 512000/);

    const growth = peakRssBytes(cli.pid!) - idlePeak;
    console.log(`letterapp listen: peak RSS ${Math.round(idlePeak / MB)} MB idle, +${Math.round(growth / MB)} MB after the gzip bomb and the 300 MB body`);
    expect(growth).toBeLessThan(60 * MB);
    expect((await cli.stop('SIGINT')).code).toBe(0);
  });

  it('a body nested too deeply to serialize is printed as a 400 rejection', async () => {
    const cli = new CliProcess(['listen', '--port', '0']);
    const [, baseUrl = ''] = await cli.waitForLine(BASE_URL_LINE);
    const depth = 100_000;
    const message = `{"type":"track","message_id":"m1","timestamp":"2026-11-22T10:15:30.123Z","user_id":"1","event":"e","properties":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const response = await fetch(`${baseUrl}/v1/batch`, { method: 'POST', headers: HEADERS, body: `{"batch":[${message}]}` });
    expect(response.status).toBe(400);
    await cli.waitForLine(/ rejected +400 invalid_request_error: batch\[0\] is nested too deeply \(POST \/v1\/batch, 1 message, request req_test1\)$/);
    expect((await cli.stop('SIGINT')).code).toBe(0);
  });
});
