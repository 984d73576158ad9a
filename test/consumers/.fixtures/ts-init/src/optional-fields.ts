// Under exactOptionalPropertyTypes, `field?: T` refuses an explicit `undefined`. Every optional
// option and call field of letterapp takes it (values read from the environment or from optional
// data are `T | undefined`), and every optional call field takes `null` too, as the README says.
import { Letter, type BeforeSend, type CloseOptions, type GroupCall, type IdentifyCall, type LetterOptions, type Message, type TrackCall } from 'letterapp';
import { startTestServer, type TestServerOptions } from 'letterapp/testing';

declare const maybe: <T>(value: T) => T | undefined;

const options: LetterOptions = {
  apiKey: process.env.LETTER_API_KEY,
  baseUrl: process.env.LETTER_BASE_URL,
  flushAt: maybe(50),
  flushInterval: maybe(100),
  maxRetries: maybe(3),
  timeout: maybe(10_000),
  onError: maybe((error) => void error.code),
  maxQueueBytes: maybe(2_000_000),
  fetch: maybe(fetch),
  beforeSend: maybe((message) => message),
};
const letter = new Letter(options);

declare const profile: { email?: string | undefined; timezone?: string | undefined; name?: string | undefined };
const identify: IdentifyCall = {
  userId: 42,
  email: profile.email,
  traits: profile.name === undefined ? undefined : { name: profile.name },
  timezone: profile.timezone,
  timestamp: undefined,
  messageId: undefined,
};
const group: GroupCall = { userId: 42, accountId: 'ws_9', name: profile.name, traits: undefined, timestamp: undefined, messageId: undefined };
const track: TrackCall = { userId: 42, event: 'Signed Up', properties: undefined, timestamp: undefined, messageId: undefined };
letter.identify(identify);
letter.group(group);
letter.track(track);

// null means absent, as in JSON from a database or an API.
letter.identify({ userId: 42, email: null, traits: null, timezone: null, timestamp: null, messageId: null });
letter.group({ userId: 42, accountId: 9, name: null, traits: null, timestamp: null, messageId: null });
letter.track({ userId: 42, event: 'Signed Up', properties: null, timestamp: null, messageId: null });

// beforeSend may clear a field by setting it to undefined or null.
const scrub: BeforeSend = (message: Message) => (message.type === 'identify' ? { ...message, email: undefined, traits: null } : message);
void scrub;

const close: CloseOptions = { timeout: maybe(5_000) };
await letter.close(close);

const serverOptions: TestServerOptions = { apiKey: process.env.LETTER_API_KEY, port: maybe(0), replies: undefined, onRequest: undefined };
const server = await startTestServer(serverOptions);
server.reply({ status: 503, retryAfter: undefined, headers: undefined, body: undefined, store: undefined, delayMs: undefined });
await server.close();
