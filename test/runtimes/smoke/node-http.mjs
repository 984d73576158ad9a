// letterapp/node-http as a busy server opts into it: the same three calls sent over node:http
// instead of the runtime's fetch, then `await close()` and exit at once.
import process from 'node:process';
import { Letter } from 'letterapp';
import { nodeHttpFetch } from 'letterapp/node-http';

const letter = new Letter({ flushInterval: 60_000, fetch: nodeHttpFetch });
letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
await letter.close();
process.exit(0);
