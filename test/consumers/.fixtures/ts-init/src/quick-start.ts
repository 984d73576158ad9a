// The README's Quick start as a user pastes it into a project made by `tsc --init`, where
// exactOptionalPropertyTypes is on: `process.env.LETTER_API_KEY` is `string | undefined`.
import { Letter } from 'letterapp';

declare const user: { id: string; email: string; name: string };
declare const workspace: { id: string; name: string; plan: string };

const letter = new Letter({ apiKey: process.env.LETTER_API_KEY });

letter.identify({
  userId: user.id,
  email: user.email,
  traits: { name: user.name, plan: 'free' },
});

letter.group({
  userId: user.id,
  accountId: workspace.id,
  name: workspace.name,
  traits: { plan: workspace.plan, mrr: 49 },
});

letter.track({
  userId: user.id,
  event: 'Workspace Created',
  properties: { workspace_id: workspace.id },
});

// Before the process exits: delivers everything still queued.
await letter.close();
