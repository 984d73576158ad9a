import express from 'express';
import { Letter, LetterError } from 'letterapp';

// One client for the whole process. It reads LETTER_API_KEY and LETTER_BASE_URL.
const letter = new Letter();

const app = express();
app.use(express.json());

app.post('/signup', (req, res) => {
  // Validate the request before doing anything with it: a bad request is the caller's mistake
  // (400), whether or not the app tracks it, and it must not get as far as creating an account.
  const { userId, plan } = req.body ?? {};
  if (typeof userId !== 'string' || userId.trim() === '') {
    res.status(400).json({ error: '`userId` must be a non-empty string' });
    return;
  }
  if (plan !== undefined && typeof plan !== 'string') {
    res.status(400).json({ error: '`plan` must be a string' });
    return;
  }

  // ... create the account here ...

  track({ userId, event: 'Signed Up', properties: { plan } });
  res.status(201).json({ ok: true });
});

/**
 * Analytics must never break the request it describes. track() throws a LetterError
 * (code 'invalid_argument') for a call it refuses, say a property over the 32 KB message limit;
 * by then the signup has happened, so the event is logged and dropped, and the request goes on.
 * track() only queues: the event is sent in the background, in batches.
 */
function track(call) {
  try {
    letter.track(call);
  } catch (error) {
    if (!(error instanceof LetterError)) throw error;
    console.warn(`letterapp: "${call.event}" not tracked (${error.code}): ${error.message}`);
  }
}

// Errors are answered with a short JSON body, never Express's default page, which shows the stack
// trace unless NODE_ENV is production. Malformed JSON is the caller's mistake (400); anything
// else is logged here and answered 500. (Express knows an error handler by its four parameters.)
app.use((error, req, res, next) => {
  const status = Number.isInteger(error.status) && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error(error);
  res.status(status).json({ error: status === 500 ? 'Internal Server Error' : error.message });
});

const server = app.listen(Number(process.env.PORT ?? 3000), (error) => {
  if (error) throw error;
  console.log(`Listening on http://localhost:${server.address().port}`);
});

// Graceful shutdown: stop taking requests, let those in flight finish (they may still track),
// then deliver every queued event. The process exits by itself once both are done.
process.on('SIGTERM', () => {
  server.close(() => letter.close());
});
