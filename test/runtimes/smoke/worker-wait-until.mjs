// The edge pattern from the README: a client for the request, the calls, and
// `ctx.waitUntil(letter.flush())`, so that the response goes out at once and delivery finishes
// after it. The host holds every outbound request until it has the response (--respond-first).
// One client per request: workerd binds I/O objects to the request that made them, and a client
// kept across requests fails there ("Cannot perform I/O on behalf of a different request").
import { Letter } from 'letterapp';

export default {
  async fetch(request, env, ctx) {
    const letter = new Letter({ apiKey: env.LETTER_API_KEY });
    letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
    letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme' });
    letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
    ctx.waitUntil(letter.flush());
    return new Response('tracked');
  },
};
