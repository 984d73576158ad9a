import { Letter } from 'letterapp';

// Created on the first request, not at import: `next build` imports route modules, and
// LETTER_API_KEY may not be set then. It reads LETTER_API_KEY and LETTER_BASE_URL.
let letter: Letter | undefined;

/** POST /api/signup with {"userId": "...", "plan": "..."}. */
export async function POST(request: Request): Promise<Response> {
  const { userId, plan } = (await request.json()) as { userId: string; plan?: string };
  letter ??= new Letter({ flushAt: 1 });
  letter.track({ userId, event: 'Signed Up', properties: { plan } });
  // Deliver before responding: a serverless function may be frozen once it has returned.
  await letter.flush();
  return Response.json({ ok: true }, { status: 201 });
}
