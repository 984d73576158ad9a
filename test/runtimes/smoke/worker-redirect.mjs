// redirect.mjs as a Worker: the 307 must reach onError, and the redirect's target nothing. The
// response body is the errors, which the host prints as its last line.
import { Letter } from 'letterapp';

export default {
  async fetch(request, env) {
    const errors = [];
    const letter = new Letter({
      apiKey: env.LETTER_API_KEY,
      flushInterval: 60_000,
      maxRetries: 0,
      onError: (error) => errors.push({ code: error.code, status: error.status }),
    });
    letter.track({ userId: 42, event: 'Redirected' });
    await letter.close();
    return new Response(JSON.stringify(errors));
  },
};
