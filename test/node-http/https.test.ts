/** letterapp/node-http over TLS, which every request to the real API takes: node:https and its agent. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { nodeHttpFetch } from '../../src/node-http.js';
import { runFixture } from '../process/run-child.js';

// A self-signed certificate for localhost and 127.0.0.1, valid until 2126, made for these tests
// only: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
// -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 (keyout tls-key.pem, out tls-cert.pem).
const CERT_FILE = fileURLToPath(new URL('./fixtures/tls-cert.pem', import.meta.url));
const KEY_FILE = fileURLToPath(new URL('./fixtures/tls-key.pem', import.meta.url));

describe('https', () => {
  it('sends through the built package over TLS, one connection for requests one after another', async () => {
    const result = await runFixture('node-http-tls.mjs', { NODE_EXTRA_CA_CERTS: CERT_FILE });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      connections: 1,
      requests: Array(3).fill('POST /v1/batch Bearer lt_test_tls'),
      events: ['one', 'two', 'three'],
      errors: [],
    });
  });

  it('a certificate the process does not trust rejects with a TypeError whose cause has its code, as fetch does', async () => {
    const server = createServer({ key: readFileSync(KEY_FILE), cert: readFileSync(CERT_FILE) }, (_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `https://localhost:${(server.address() as AddressInfo).port}/v1/batch`;
    const outcomes = [];
    for (const transport of [nodeHttpFetch, fetch]) {
      const error = await transport(url, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
      outcomes.push([error instanceof TypeError, (error as TypeError).cause]);
    }
    expect(outcomes[0]).toEqual([true, expect.objectContaining({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })]);
    expect(outcomes[1]).toEqual([true, expect.objectContaining({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })]);
  });
});
