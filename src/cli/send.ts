import { randomUUID } from 'node:crypto';
import type { BaseCall, Properties, Timestamp } from '../calls.js';
import { LetterError } from '../errors.js';
import { Letter } from '../letter.js';
import { DEFAULT_BASE_URL } from '../options.js';
import { printable } from '../printable.js';
import { readApiError } from './api-error.js';
import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from './args.js';
import { epochSecondsMistake } from './epoch.js';
import { SEND_GROUP_HELP, SEND_HELP, SEND_IDENTIFY_HELP, SEND_TRACK_HELP } from './help.js';

/** Flags every `send` type takes. */
const COMMON_FLAGS = {
  'user-id': { type: 'string' },
  timestamp: { type: 'string' },
  'message-id': { type: 'string' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TRACK_FLAGS = { ...COMMON_FLAGS, event: { type: 'string' }, properties: { type: 'string' } } as const;
const IDENTIFY_FLAGS = { ...COMMON_FLAGS, email: { type: 'string' }, traits: { type: 'string' }, timezone: { type: 'string' } } as const;
const GROUP_FLAGS = { ...COMMON_FLAGS, 'account-id': { type: 'string' }, name: { type: 'string' }, traits: { type: 'string' } } as const;

/** The SDK names call fields in its errors (`userId is required`); the CLI user typed flags. */
const FLAG_FOR_FIELD = new Map([
  ['userId', '--user-id'], ['accountId', '--account-id'], ['event', '--event'], ['properties', '--properties'],
  ['traits', '--traits'], ['timestamp', '--timestamp'], ['messageId', '--message-id'], ['email', '--email'],
  ['timezone', '--timezone'], ['name', '--name'],
]);

/** `letterapp send <type> …`: sends one message through the real client and reports the API's answer. */
export async function send(args: string[]): Promise<number> {
  const [type, ...rest] = args;
  switch (type) {
    case 'track': return sendTrack(rest);
    case 'identify': return sendIdentify(rest);
    case 'group': return sendGroup(rest);
    case '-h':
    case '--help':
      process.stdout.write(SEND_HELP);
      return EXIT_OK;
    case undefined: throw new UsageError('which message? expected track, identify or group', 'send');
    default: throw new UsageError(`unknown message type ${JSON.stringify(type)}; expected track, identify or group`, 'send');
  }
}

async function sendTrack(args: string[]): Promise<number> {
  const command = 'send track';
  const flags = parseFlags(args, TRACK_FLAGS, command);
  if (flags.help) return printHelp(SEND_TRACK_HELP);
  requireFlags(command, { '--user-id': flags['user-id'], '--event': flags.event });
  const call = { ...baseCall(command, flags), event: flags.event ?? '', properties: jsonFlag(command, '--properties', flags.properties) };
  return deliver(command, flags, (letter) => letter.track(call), `track ${JSON.stringify(call.event)} for user ${call.userId}`, call.messageId);
}

async function sendIdentify(args: string[]): Promise<number> {
  const command = 'send identify';
  const flags = parseFlags(args, IDENTIFY_FLAGS, command);
  if (flags.help) return printHelp(SEND_IDENTIFY_HELP);
  requireFlags(command, { '--user-id': flags['user-id'] });
  const call = { ...baseCall(command, flags), email: flags.email, timezone: flags.timezone, traits: jsonFlag(command, '--traits', flags.traits) };
  return deliver(command, flags, (letter) => letter.identify(call), `identify for user ${call.userId}`, call.messageId);
}

async function sendGroup(args: string[]): Promise<number> {
  const command = 'send group';
  const flags = parseFlags(args, GROUP_FLAGS, command);
  if (flags.help) return printHelp(SEND_GROUP_HELP);
  requireFlags(command, { '--user-id': flags['user-id'], '--account-id': flags['account-id'] });
  const call = { ...baseCall(command, flags), accountId: flags['account-id'] ?? '', name: flags.name, traits: jsonFlag(command, '--traits', flags.traits) };
  return deliver(command, flags, (letter) => letter.group(call), `group ${call.accountId} for user ${call.userId}`, call.messageId);
}

/** The fields every call has. The message id is chosen here, not in the SDK, so it can be printed. */
function baseCall(command: string, flags: { 'user-id'?: string; timestamp?: string; 'message-id'?: string }): BaseCall & { messageId: string } {
  return {
    userId: flags['user-id'] ?? '',
    ...(flags.timestamp !== undefined && { timestamp: timestampFlag(command, flags.timestamp) }),
    messageId: flags['message-id'] ?? randomUUID(),
  };
}

/** All digits: epoch milliseconds, which the SDK takes as a number; anything else is left to its ISO 8601 check. */
function timestampFlag(command: string, text: string): Timestamp {
  if (!/^\d+$/.test(text)) return text;
  const epochMs = Number(text);
  const mistake = epochSecondsMistake(epochMs, '--timestamp');
  if (mistake !== undefined) throw new UsageError(mistake, command);
  return epochMs;
}

/**
 * Creates a client, makes the call, waits for close() and prints the outcome. Bad input is a
 * usage error; anything handed to onError (a rejection, a network failure after the retries)
 * means not delivered.
 */
async function deliver(
  command: string,
  flags: { 'api-key'?: string; 'base-url'?: string },
  call: (letter: Letter) => void,
  summary: string,
  messageId: string,
): Promise<number> {
  const apiKey = flags['api-key'] ?? process.env.LETTER_API_KEY;
  if (!apiKey) return fail(command, 'no API key: set LETTER_API_KEY (or pass --api-key)');
  const baseUrl = flags['base-url'] ?? (process.env.LETTER_BASE_URL || DEFAULT_BASE_URL);
  const failures: LetterError[] = [];
  let letter: Letter;
  try {
    letter = new Letter({ apiKey, baseUrl, onError: (error) => failures.push(error) });
  } catch (error) {
    // A bad key or URL: the message names the option and never contains the key.
    if (error instanceof LetterError) return fail(command, error.message);
    throw error;
  }
  try {
    call(letter);
  } catch (error) {
    if (error instanceof LetterError && error.code === 'invalid_argument') throw new UsageError(nameTheFlag(error.message), command);
    throw error;
  }
  await letter.close();
  if (failures.length > 0) {
    // The server wrote these words: printable() keeps its escape sequences off the user's terminal.
    for (const failure of failures) process.stderr.write(`letterapp ${command}: not delivered: ${printable(describeFailure(failure))}\n`);
    return EXIT_FAILURE;
  }
  process.stdout.write(`Sent ${summary} to ${baseUrl} (message_id ${messageId})\n`);
  return EXIT_OK;
}

/** The API's own words when it answered with the contract's error body, else the SDK's message. */
function describeFailure(error: LetterError): string {
  const apiError = readApiError(error.body);
  const requestId = error.requestId ?? apiError?.requestId;
  if (apiError) {
    return `${apiError.message} (HTTP ${error.status ?? '?'} ${apiError.type}${requestId ? `, request id ${requestId}` : ''})`;
  }
  return `${error.message}${requestId ? ` (request id ${requestId})` : ''}`;
}

/** Checked before the SDK's own validation so the message names the flag the user left out. */
function requireFlags(command: string, values: Record<string, string | undefined>): void {
  const missing = Object.keys(values).filter((flag) => values[flag] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(' and ')}`, command);
}

/** Parses a JSON flag. Its shape (a plain object) is left to the SDK, whose message names the field. */
function jsonFlag(command: string, flag: string, text: string | undefined): Properties | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Properties;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${flag} is not valid JSON (${reason}); quote it for the shell: ${flag} '{"plan":"pro"}'`, command);
  }
}

/** `timestamp "x" is not …` becomes `invalid --timestamp: timestamp "x" is not …`. */
function nameTheFlag(message: string): string {
  const field = /^\w+/.exec(message)?.[0] ?? '';
  const flag = FLAG_FOR_FIELD.get(field);
  return flag === undefined ? message : `invalid ${flag}: ${message}`;
}

function printHelp(text: string): number {
  process.stdout.write(text);
  return EXIT_OK;
}

function fail(command: string, message: string): number {
  process.stderr.write(`letterapp ${command}: ${message}\n`);
  return EXIT_FAILURE;
}
