// TypeScript, moduleResolution node10 (the default with "module": "commonjs"): types come from the `types` field and, for letterapp/testing, from typesVersions.
import { Letter, LetterError, VERSION, type LetterErrorCode, type TrackCall } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

async function main(): Promise<void> {
  const apiKey = 'lt_test_consumer';
  const server = await startTestServer({ apiKey });
  const errors: string[] = [];
  const letter = new Letter({ apiKey, baseUrl: server.url, flushInterval: 60_000, onError: (error) => errors.push(`${error.code}: ${error.message}`) });

  letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } });
  letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
  letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
  let invalid: LetterErrorCode | string = 'nothing thrown';
  try {
    letter.track({ userId: 42 } as unknown as TrackCall);
  } catch (error) {
    invalid = error instanceof LetterError ? error.code : `not a LetterError: ${String(error)}`;
  }
  await letter.close();
  await server.close();

  console.log(JSON.stringify({
    entry: require.resolve('letterapp'),
    testingEntry: require.resolve('letterapp/testing'),
    version: VERSION,
    invalid,
    errors,
    requests: server.requests.map((request) => ({ path: request.path, reply: request.reply, userAgent: request.headers['user-agent'] })),
    messages: server.messages,
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
