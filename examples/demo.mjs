// `npm run demo`: the SDK end to end against the embedded contract-following ingestion server.
// No account and no network: everything stays on 127.0.0.1.
import { Letter } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

const server = await startTestServer();
console.log(`Local ingestion server listening at ${server.url}\n`);

// The server answers the first request with a 503, to show a retry with the same message ids.
server.reply({ status: 503 });

const letter = new Letter({
  apiKey: 'lt_test_demo',
  baseUrl: server.url,
  onError: (error) => console.error(`onError: ${error.message}`),
});

letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' }, timezone: 'Europe/London' });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });

await letter.close();

for (const [index, request] of server.requests.entries()) {
  const ids = request.body?.batch?.map((message) => message.message_id.slice(0, 8)).join(', ');
  console.log(`request ${index + 1}: ${request.method} ${request.path} -> ${request.reply}  (${request.headers['user-agent']}; message ids ${ids})`);
}
console.log(`\nThe server stored ${server.messages.length} messages:`);
for (const message of server.messages) console.log(JSON.stringify(message));

await server.close();
