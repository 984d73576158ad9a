// ESM: import, three calls, `await close()`, then exit at once. flushInterval is long and exit is
// explicit, so the messages can only have arrived if close() delivered them before resolving.
// LETTER_API_KEY and LETTER_BASE_URL come from the environment, as in production.
import process from 'node:process';
import { Letter } from 'letterapp';

const letter = new Letter({ flushInterval: 60_000 });
letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
await letter.close();
process.exit(0);
