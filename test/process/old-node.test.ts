import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/index.js';
import { runFixture } from './run-child.js';

// Node before 20.16 has no process.getBuiltinModule and Node 18 no crypto global; the fixtures take
// both away on this Node, so the built package takes its old-Node paths here on every CI run (the
// runtime matrix runs it on a real Node 18 too).
const API_KEY = 'lt_test_oldnode';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ apiKey: API_KEY });
});

afterEach(async () => {
  await server.close();
});

async function idsFrom(fixture: string): Promise<{ sameTick: string; later: string; fromNodeCrypto: string[] }> {
  const result = await runFixture(fixture, { LETTER_API_KEY: API_KEY, LETTER_BASE_URL: server.url });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const [sameTick, later] = server.messages.map((message) => String(message.message_id));
  expect(sameTick).toMatch(UUID_V4);
  expect(later).toMatch(UUID_V4);
  return { sameTick: sameTick!, later: later!, fromNodeCrypto: JSON.parse(result.stdout).fromNodeCrypto };
}

it('ES module build on old Node: node:crypto ids once its dynamic import settles, Math.random ids before', async () => {
  const { sameTick, later, fromNodeCrypto } = await idsFrom('old-node.mjs');
  expect(fromNodeCrypto).toEqual([later]);
  expect(sameTick).not.toBe(later);
});

it('CommonJS build on old Node: node:crypto ids from the first call, through require', async () => {
  const { sameTick, later, fromNodeCrypto } = await idsFrom('old-node.cjs');
  expect(fromNodeCrypto).toEqual([sameTick, later]);
});
