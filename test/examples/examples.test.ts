/**
 * Runs each project in examples/ for real against the local test server: express and nestjs as
 * child processes (HTTP request, then SIGTERM), lambda and nextjs-route by importing the handler
 * and calling it. `npm test` builds dist/ and runs `node examples/install.mjs --if-needed` before it.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../dist/testing.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** The test server accepts only this key, which proves each example read LETTER_API_KEY. */
const API_KEY = 'lt_test_examples';
const SIGNUP = { userId: '42', plan: 'pro' };
const SIGNED_UP = { type: 'track', user_id: '42', event: 'Signed Up', properties: { plan: 'pro' } };

let server: TestServer | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

/** The example's folder, after checking that `node examples/install.mjs` has been run. */
function exampleDir(name: string): string {
  const dir = join(EXAMPLES, name);
  if (!existsSync(join(dir, 'node_modules', 'letterapp'))) {
    throw new Error(`examples/${name} has no node_modules: run \`node examples/install.mjs\` first`);
  }
  return dir;
}

/** Points the SDK at a fresh test server through the environment, as an app in production would be. */
async function startServerAndStubEnv(): Promise<TestServer> {
  server = await startTestServer({ apiKey: API_KEY });
  vi.stubEnv('LETTER_API_KEY', API_KEY);
  vi.stubEnv('LETTER_BASE_URL', server.url);
  return server;
}

interface RunningApp {
  /** The port from the app's `Listening on http://host:port` line. */
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far, for assertions and failure messages. */
  output(): string;
}

/** Starts `node <script>` in an example with PORT=0 and waits for its `Listening on` line. */
async function startApp(name: string, script: string, testServer: TestServer): Promise<RunningApp> {
  const proc = spawn(process.execPath, [script], {
    cwd: exampleDir(name),
    env: { ...process.env, LETTER_API_KEY: API_KEY, LETTER_BASE_URL: testServer.url, PORT: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Listening on http:\/\/\S+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('error', reject);
    void exited.then(({ code, signal }) => {
      reject(new Error(`examples/${name} exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return { port, exited, output: () => output };
}

async function postSignup(port: number, body: string = JSON.stringify(SIGNUP)): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

/** Imports a module from examples/ by path (kept out of the root type-check, which does not know the examples). */
async function importExample(name: string, file: string): Promise<unknown> {
  return import(pathToFileURL(join(exampleDir(name), file)).href);
}

/** Runs the TypeScript compiler installed in the example, with its own tsconfig.json. */
async function runTsc(name: string): Promise<void> {
  const dir = exampleDir(name);
  await promisify(execFile)(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir]);
}

function expectSignedUpOnce(testServer: TestServer): void {
  expect(testServer.messages).toEqual([expect.objectContaining(SIGNED_UP)]);
  expect(testServer.requests.map((request) => request.reply)).toEqual(testServer.requests.map(() => 200));
  expect(testServer.requests[0]?.headers['user-agent']).toMatch(/^letterapp-node\//);
}

describe('examples/express', () => {
  it('tracks from a route and delivers the event on SIGTERM before exiting 0', { timeout: 30_000 }, async () => {
    const testServer = await startTestServer({ apiKey: API_KEY });
    server = testServer;
    const app = await startApp('express', 'server.js', testServer);

    const response = await postSignup(app.port);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });

    child!.kill('SIGTERM');
    expect(await app.exited, app.output()).toEqual({ code: 0, signal: null });
    // The server stores a batch before answering it, and the app exits only after that answer.
    expectSignedUpOnce(testServer);
  });

  it('answers bad input with a 400 and a short JSON error, and an event the SDK refuses never fails the request', { timeout: 30_000 }, async () => {
    const testServer = await startTestServer({ apiKey: API_KEY });
    server = testServer;
    const app = await startApp('express', 'server.js', testServer);

    for (const [body, error] of [
      [JSON.stringify({ plan: 'pro' }), '`userId` must be a non-empty string'],
      [JSON.stringify({ userId: { id: 42 }, plan: 'pro' }), '`userId` must be a non-empty string'],
      [JSON.stringify({ userId: '42', plan: ['pro'] }), '`plan` must be a string'],
    ] as const) {
      const response = await postSignup(app.port, body);
      expect(response.status, body).toBe(400);
      expect(await response.json(), body).toEqual({ error });
    }
    // Malformed JSON never reaches the route: Express's default answer to it is a page with the stack trace.
    const malformed = await postSignup(app.port, '{"userId":');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/json/);
    const malformedBody = await malformed.json();
    expect(malformedBody).toEqual({ error: expect.stringContaining('JSON') }); // body-parser's own message
    expect(JSON.stringify(malformedBody)).not.toMatch(/\bat \S+ \(|node_modules/);

    // Valid for the app, refused by the SDK (over the 32 KB message limit): the signup still succeeds.
    const oversized = await postSignup(app.port, JSON.stringify({ userId: '42', plan: 'x'.repeat(40_000) }));
    expect(oversized.status).toBe(201);
    expect(app.output()).toMatch(/letterapp: "Signed Up" not tracked \(invalid_argument\): message is \d+ KB; the limit is 32 KB/);

    expect((await postSignup(app.port)).status).toBe(201);
    child!.kill('SIGTERM');
    expect(await app.exited, app.output()).toEqual({ code: 0, signal: null });
    expectSignedUpOnce(testServer); // only the good request's event
    expect(app.output()).not.toMatch(/\bat \S+ \(/); // no stack trace logged for anything the caller did
  });
});

describe('examples/nestjs', () => {
  it('tracks from a controller and closes the client in onApplicationShutdown', { timeout: 60_000 }, async () => {
    await runTsc('nestjs'); // the decorators need tsc (emitDecoratorMetadata); src/ -> dist/
    const testServer = await startTestServer({ apiKey: API_KEY });
    server = testServer;
    const app = await startApp('nestjs', 'dist/main.js', testServer);

    const response = await postSignup(app.port);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });

    child!.kill('SIGTERM');
    // Nest runs its shutdown hooks, then re-raises the signal (unless useProcessExit is set),
    // so the process ends by SIGTERM, as it would have without hooks: the log line proves they ran.
    expect(await app.exited, app.output()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(app.output()).toContain('Letter client closed (SIGTERM)');
    expectSignedUpOnce(testServer);
  });
});

type LambdaHandler = (event: { body?: string }) => Promise<{ statusCode: number; body: string }>;

describe('examples/lambda', () => {
  it('delivers each event before the handler returns, across warm invocations', async () => {
    const testServer = await startServerAndStubEnv();
    const { handler } = (await importExample('lambda', 'index.js')) as { handler: LambdaHandler };

    for (const userId of ['42', '43']) {
      const result = await handler({ body: JSON.stringify({ ...SIGNUP, userId }) });
      expect(result).toEqual({ statusCode: 201, body: JSON.stringify({ ok: true }) });
      // Already stored when the handler resolves: no waiting, as a frozen Lambda could not send later.
      expect(testServer.messages.at(-1)).toMatchObject({ ...SIGNED_UP, user_id: userId });
    }
    expect(testServer.messages).toHaveLength(2);
  });
});

type RouteHandler = (request: Request) => Promise<Response>;

describe('examples/nextjs-route', () => {
  it('imports without LETTER_API_KEY (as `next build` does) and delivers before responding', async () => {
    vi.stubEnv('LETTER_API_KEY', undefined);
    const { POST } = (await importExample('nextjs-route', 'app/api/signup/route.ts')) as { POST: RouteHandler };
    const testServer = await startServerAndStubEnv();

    const response = await POST(new Request('http://localhost/api/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SIGNUP),
    }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });
    expectSignedUpOnce(testServer); // already stored when the handler resolves
  });

  it('type-checks with the Next.js compiler settings (moduleResolution bundler)', { timeout: 60_000 }, async () => {
    await runTsc('nextjs-route');
  });
});
