import express from 'express';
import { Letter } from 'letterapp';

// One client for the whole process. It reads LETTER_API_KEY and LETTER_BASE_URL.
const letter = new Letter();

const app = express();
app.use(express.json());

app.post('/signup', (req, res) => {
  const { userId, plan } = req.body;
  // track() only queues: the event is sent in the background, in batches.
  letter.track({ userId, event: 'Signed Up', properties: { plan } });
  res.status(201).json({ ok: true });
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
