import { Letter } from 'letterapp';

// Created once per execution environment and reused by every invocation it serves.
// It reads LETTER_API_KEY and LETTER_BASE_URL. Serverless mode: flushAt 1 sends each event
// straight away, since nothing runs in the background once the handler has returned.
const letter = new Letter({ flushAt: 1 });

/** An API Gateway (HTTP API) handler: POST /signup with {"userId": "...", "plan": "..."}. */
export const handler = async (event) => {
  const { userId, plan } = JSON.parse(event.body ?? '{}');
  letter.track({ userId, event: 'Signed Up', properties: { plan } });
  // Deliver before returning: Lambda freezes the process as soon as the handler's promise settles.
  await letter.flush();
  return { statusCode: 201, body: JSON.stringify({ ok: true }) };
};
