// Deno only, run without --allow-env: can a client be created when the environment is off limits?
// Nothing is sent (the fetch is a stub), so this needs no network either.
import { Letter } from 'letterapp';

try {
  new Letter({ apiKey: 'lt_test_no_env', fetch: async () => new Response('{"ok":true}', { status: 200 }) });
  console.log(JSON.stringify({ constructed: true }));
} catch (error) {
  console.log(JSON.stringify({ constructed: false, error: `${error?.name}: ${error?.message}` }));
}
