// Natural exit: three calls and nothing else, no close(), no exit(). flushInterval is long (and its
// timer never holds the process open), so only the SDK's `beforeExit` hook can deliver them.
import { Letter } from 'letterapp';

const letter = new Letter({ flushInterval: 60_000 });
letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
