import { onTestFinished } from 'vitest';
import { Letter, type LetterError, type LetterOptions } from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../src/testing/index.js';

export const API_KEY = 'lt_test_4f9c2b7e1d';

export interface Harness {
  server: TestServer;
  letter: Letter;
  errors: LetterError[];
  /** Resolves with the next error handed to onError. */
  nextError(): Promise<LetterError>;
}

/** A contract server and a client pointed at it, both closed when the test finishes. */
export async function harness(options: LetterOptions = {}, serverOptions: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer({ apiKey: API_KEY, ...serverOptions });
  const errors: LetterError[] = [];
  let waiting: ((error: LetterError) => void)[] = [];
  const letter = new Letter({
    apiKey: API_KEY,
    baseUrl: server.url,
    onError: (error) => {
      errors.push(error);
      const resolvers = waiting;
      waiting = [];
      for (const resolve of resolvers) resolve(error);
    },
    ...options,
  });
  onTestFinished(async () => {
    await letter.close();
    await server.close();
  });
  const nextError = () => new Promise<LetterError>((resolve) => waiting.push(resolve));
  return { server, letter, errors, nextError };
}

/** The message ids of a request's batch. */
export function idsOf(request: { body: { batch?: { message_id: string }[] } | undefined }): string[] {
  return (request.body?.batch ?? []).map((message) => message.message_id);
}
