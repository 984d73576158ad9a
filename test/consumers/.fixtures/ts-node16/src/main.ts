// TypeScript, moduleResolution node16, an ESM file ("type": "module"): types from dist/index.d.ts.
import { Letter, LetterError, VERSION, type LetterErrorCode, type TrackCall } from 'letterapp';
import { startTestServer, type TestServer } from 'letterapp/testing';

const apiKey = 'lt_test_consumer';
const server: TestServer = await startTestServer({ apiKey });
const errors: string[] = [];
const letter = new Letter({ apiKey, baseUrl: server.url, flushInterval: 60_000, onError: (error: LetterError) => errors.push(`${error.code}: ${error.message}`) });

letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
const call: TrackCall = { userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } };
letter.track(call);
let invalid: LetterErrorCode | string = 'nothing thrown';
try {
  letter.track({ userId: 42 } as unknown as TrackCall);
} catch (error) {
  invalid = error instanceof LetterError ? error.code : `not a LetterError: ${String(error)}`;
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
