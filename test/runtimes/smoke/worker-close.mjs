// A Worker (module syntax; Vercel's Edge runs it from a fetch event): import, the three calls and
// `await letter.close()` inside the request, then the response. No process, no node: modules:
// the API key comes from the Worker's env, the default baseUrl is routed to the test server.
// Errors come back as a 500 with the messages, since a Worker's stderr is not the host's.
import { Letter } from 'letterapp';

export default {
  async fetch(request, env) {
    const errors = [];
    const letter = new Letter({ apiKey: env.LETTER_API_KEY, flushInterval: 60_000, onError: (error) => errors.push(error.message) });
    letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
    letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
    letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
    await letter.close();
    return errors.length > 0 ? new Response(JSON.stringify(errors), { status: 500 }) : new Response('closed');
  },
};
