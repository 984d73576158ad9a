// An ESM consumer ("type": "module"): `import` must load dist/index.js and dist/testing.js.
import { Letter, LetterError, VERSION } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

const apiKey = 'lt_test_consumer';
const server = await startTestServer({ apiKey });
const errors = [];
// flushInterval is long so that only close() can deliver: the check below proves close() waits for it.
const letter = new Letter({ apiKey, baseUrl: server.url, flushInterval: 60_000, onError: (error) => errors.push(`${error.code}: ${error.message}`) });

letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
let invalid = 'nothing thrown';
try {
  letter.track({ userId: 42 });
} catch (error) {
  invalid = error instanceof LetterError ? error.code : `not a LetterError: ${error}`;
}
await letter.close();
await server.close();

console.log(JSON.stringify({
  entry: import.meta.resolve('letterapp'),
  testingEntry: import.meta.resolve('letterapp/testing'),
  version: VERSION,
  invalid,
  errors,
  requests: server.requests.map((request) => ({ path: request.path, reply: request.reply, userAgent: request.headers['user-agent'] })),
  messages: server.messages,
}));
