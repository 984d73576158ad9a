// `await using`: leaving the block awaits letter[Symbol.asyncDispose]() (close()); then exit at once.
// Run as written (native syntax) and, transpiled by TypeScript for ES2022, as TypeScript users ship it.
import process from 'node:process';
import { Letter } from 'letterapp';

{
  await using letter = new Letter({ flushInterval: 60_000 });
  letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
  letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
  letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
}
process.exit(0);
