// CommonJS: require, three calls, `await close()`, then exit at once (see esm.mjs).
const process = require('node:process');
const { Letter } = require('letterapp');

const letter = new Letter({ flushInterval: 60_000 });
letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
letter.close().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
