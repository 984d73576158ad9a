// A redirect is refused, never followed: the API key must not travel to the redirect's target.
// The harness answers 307 pointing at a second server and checks that nothing reached it.
import process from 'node:process';
import { Letter } from 'letterapp';

const errors = [];
const letter = new Letter({ flushInterval: 60_000, maxRetries: 0, onError: (error) => errors.push({ code: error.code, status: error.status }) });
letter.track({ userId: 42, event: 'Redirected' });
await letter.close();
console.log(JSON.stringify(errors));
process.exit(0);
