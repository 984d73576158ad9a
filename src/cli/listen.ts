import type { RecordedRequest, TestServer } from '../testing/server.js';
import { startTestServer } from '../testing/server.js';
import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from './args.js';
import { createPalette, shouldColour, type Palette } from './colour.js';
import { formatDuplicates, formatMessage, formatRejection } from './format.js';
import { LISTEN_HELP } from './help.js';

const LISTEN_FLAGS = {
  port: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_PORT = 8787;

/**
 * `letterapp listen`: runs the contract test server on 127.0.0.1, prints every message it stores
 * and every request it rejects, and resolves with the exit status once SIGINT or SIGTERM stops it.
 */
export async function listen(args: string[]): Promise<number> {
  const flags = parseFlags(args, LISTEN_FLAGS, 'listen');
  if (flags.help) {
    process.stdout.write(LISTEN_HELP);
    return EXIT_OK;
  }
  const port = parsePort(flags.port);
  const apiKey = flags['api-key'];
  // The server reads an empty key as "any key": the opposite of what was asked for.
  if (apiKey === '') throw new UsageError('--api-key must not be empty', 'listen');
  const palette = createPalette(shouldColour(process.stdout, process.env));
  // Listening for signals before anything is printed: whoever reads the banner (a script, a
  // test) may stop the server at once, and a signal that beat the handler would kill it uncleanly.
  const stopped = stopSignal();
  let stored = 0;
  let server: TestServer | undefined;
  const print = (request: RecordedRequest, responseBody: unknown): void => {
    if (server) stored += printOutcome(server, request, responseBody, palette);
  };
  try {
    // startTestServer binds 127.0.0.1 only: a dev tool must not expose an ingestion endpoint to the network.
    server = await startTestServer({ port, ...(apiKey !== undefined && { apiKey }), onRequest: print });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') return fail(`port ${port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)`);
    if (code === 'EACCES') return fail(`not allowed to listen on port ${port}; choose another with --port`);
    throw error;
  }
  const keys = apiKey === undefined ? 'any lt_live_... or lt_test_... API key' : 'only the API key given with --api-key';
  process.stdout.write(
    `${palette.bold('letterapp listen')}: local Letter ingestion server on ${server.url}, accepting ${keys}\n` +
      `Point your app at it:  ${palette.bold(`LETTER_BASE_URL=${server.url}`)}\n` +
      `${palette.dim('Waiting for messages; Ctrl+C to stop.')}\n`,
  );
  const signal = await stopped;
  await server.close();
  process.stdout.write(`${palette.dim(`Stopped (${signal}): ${stored} message${stored === 1 ? '' : 's'} received.`)}\n`);
  return EXIT_OK;
}

/**
 * Prints what one request came to and returns how many messages it stored. The server keeps every
 * message and request for tests to inspect; `listen` may run for days, so once printed they are
 * dropped (deduplication keeps working: it uses its own set of ids).
 */
function printOutcome(server: TestServer, request: RecordedRequest, responseBody: unknown, palette: Palette): number {
  // Messages come from the server's store, not the request: duplicates were not stored again.
  const fresh = server.messages.splice(0);
  server.requests.splice(0);
  const lines = fresh.map((message) => formatMessage(message, request.receivedAt, palette));
  if (request.reply !== 200) lines.push(formatRejection(request, responseBody, palette));
  const duplicates = (responseBody as { duplicates?: unknown } | undefined)?.duplicates;
  if (request.reply === 200 && typeof duplicates === 'number' && duplicates > 0) lines.push(formatDuplicates(duplicates, request.receivedAt, palette));
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  return fresh.length;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`--port must be a port number from 0 to 65535, got ${JSON.stringify(text)}`, 'listen');
  return port;
}

/** Resolves on the first SIGINT or SIGTERM; a second one gets Node's default (immediate exit) behaviour. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function fail(message: string): number {
  process.stderr.write(`letterapp listen: ${message}\n`);
  return EXIT_FAILURE;
}
