// TypeScript, moduleResolution nodenext, an ESM file (.mts): types from dist/index.d.ts. Uses
// `await using` (compiled down by TypeScript for target ES2022), so leaving the block closes the client.
import { Letter, LetterError, VERSION, type LetterErrorCode, type TrackCall } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

const apiKey = 'lt_test_consumer';
const server = await startTestServer({ apiKey });
const errors: string[] = [];
let invalid: LetterErrorCode | string = 'nothing thrown';
{
  await using letter = new Letter({ apiKey, baseUrl: server.url, flushInterval: 60_000, onError: (error) => errors.push(`${error.code}: ${error.message}`) });
  letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } });
  letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
  letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
  try {
    letter.track({ userId: 42 } as unknown as TrackCall);
  } catch (error) {
    invalid = error instanceof LetterError ? error.code : `not a LetterError: ${String(error)}`;
  }
}
// Leaving the block awaited letter[Symbol.asyncDispose](), that is close(): everything is delivered.
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
