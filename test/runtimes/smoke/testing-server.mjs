// letterapp/testing inside the runtime: its node:http server receives what the client sends here.
import process from 'node:process';
import { Letter } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

const server = await startTestServer({ apiKey: 'lt_test_in_runtime' });
const errors = [];
const letter = new Letter({ apiKey: 'lt_test_in_runtime', baseUrl: server.url, onError: (error) => errors.push(error.message) });
letter.identify({ userId: 42, email: 'ada@example.com' });
letter.group({ userId: 42, accountId: 'ws_9' });
letter.track({ userId: 42, event: 'Workspace Created' });
await letter.close();
await server.close();
const got = server.messages.map((message) => `${message.type}:${message.user_id}`).join(',');
if (got !== 'identify:42,group:42,track:42' || errors.length > 0) {
  console.error(`in-runtime test server got [${got}], errors: ${JSON.stringify(errors)}`);
  process.exit(1);
}
