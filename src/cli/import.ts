import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describeThrown } from '../describe.js';
import { LetterError } from '../errors.js';
import { Letter } from '../letter.js';
import { nodeHttpFetch } from '../node-http.js';
import { DEFAULT_BASE_URL } from '../options.js';
import { printable } from '../printable.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommand, UsageError } from './args.js';
import { IMPORT_HELP } from './help.js';
import { inLineNames, parseLine, withMessageId, type ParsedLine } from './import-line.js';
import { LineSplitter, TOO_LONG } from './line-splitter.js';
import { count, Progress } from './progress.js';

const COMMAND = 'import';

const IMPORT_FLAGS = {
  strict: { type: 'boolean' },
  failed: { type: 'string' },
  'progress-interval': { type: 'string' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A line longer than this cannot be a message (the limit is 32 KB as JSON), so it is not held whole. */
const MAX_LINE_BYTES = 1024 * 1024;
/** Bad lines reported one by one; past this, they are only counted. */
const MAX_REPORTED_BAD_LINES = 100;
/** Delivery failures reported one by one; past this, they are only counted. */
const MAX_REPORTED_FAILURES = 20;
const DEFAULT_PROGRESS_INTERVAL_SECONDS = 5;
/**
 * The client's memory budget for the import. Its high-water mark (an eighth: 2 MiB) still keeps
 * four 500 KB requests in flight, and the lines are on disk anyway: a larger queue would only
 * grow the heap, not the throughput.
 */
const IMPORT_QUEUE_BYTES = 16 * 1024 * 1024;
/** Bytes read from the input at a time: the lines of one chunk are handed to the SDK in one go. 64 KB peaked ~5 MB lower in RSS than 256 KB, at the same rate. */
const READ_CHUNK_BYTES = 64 * 1024;

/** Where the lines come from, and how to read them again for `--failed`. */
interface Input {
  readonly name: string;
  readonly stream: Readable;
  /** The size in bytes when the input is a regular file. */
  readonly totalBytes: number | undefined;
  /** Opens the same lines again, for the pass that writes `--failed`. */
  reopen(): Readable;
  /** For standard input: a copy of what was read, kept so `--failed` can read it again. */
  readonly copy: WriteStream | undefined;
  close(): Promise<void>;
}

/** Counters for the progress display and the summary. */
interface Counts {
  linesRead: number;
  accepted: number;
  /** Messages handed to onError as not delivered. */
  failed: number;
  /** Bad lines skipped (or, with --strict, the one that stopped the import). */
  skipped: number;
  bytesRead: number;
}

/**
 * `letterapp import FILE|-`: sends one message per NDJSON line through the SDK, waiting whenever
 * its queue is full, so memory stays flat whatever the input's size. Resolves with the exit status:
 * 0 every line delivered, 1 some line not delivered or skipped, 2 the import could not start or
 * `--strict` stopped it.
 */
export async function importLines(args: string[]): Promise<number> {
  const { values: flags, operands } = parseCommand(args, IMPORT_FLAGS, COMMAND);
  if (flags.help) {
    process.stdout.write(IMPORT_HELP);
    return EXIT_OK;
  }
  if (operands.length !== 1) {
    throw new UsageError(operands.length === 0 ? 'which file? letterapp import FILE, or - for standard input' : `one file at a time, got ${operands.length}: ${operands.join(' ')}`, COMMAND);
  }
  const path = operands[0]!;
  const intervalMs = progressIntervalMs(flags['progress-interval']);
  const apiKey = flags['api-key'] ?? process.env.LETTER_API_KEY;
  if (!apiKey) return fail('no API key: set LETTER_API_KEY (or pass --api-key)', EXIT_FAILURE);
  const baseUrl = flags['base-url'] ?? (process.env.LETTER_BASE_URL || DEFAULT_BASE_URL);

  let input: Input;
  try {
    input = await openInput(path, flags.failed !== undefined);
  } catch (error) {
    return fail(`cannot read ${path}: ${describeFsError(error)}`, EXIT_USAGE);
  }
  if (flags.failed !== undefined) {
    try {
      // Created (empty) now: a path that cannot be written is found before anything is sent.
      await (await open(flags.failed, 'w')).close();
    } catch (error) {
      await input.close();
      return fail(`cannot write --failed ${flags.failed}: ${describeFsError(error)}`, EXIT_USAGE);
    }
  }
  try {
    return await run(input, baseUrl, apiKey, Boolean(flags.strict), intervalMs, flags.failed);
  } finally {
    await input.close();
  }
}

async function run(
  input: Input,
  baseUrl: string,
  apiKey: string,
  strict: boolean,
  intervalMs: number,
  failedPath: string | undefined,
): Promise<number> {
  const counts: Counts = { linesRead: 0, accepted: 0, failed: 0, skipped: 0, bytesRead: 0 };
  /** The ids of messages handed to onError: the lines `--failed` writes. */
  const failedIds = new Set<string>();
  /** A failure every later batch would meet too (401, 403): reading stops. */
  let fatal: LetterError | undefined;
  let reportedFailures = 0;
  const startedAtMs = performance.now();
  // Set right below; the progress display reads the client's own delivery counters.
  let letter: Letter | undefined;
  const progress = new Progress(process.stderr, () => ({
    linesRead: counts.linesRead,
    delivered: letter?.stats().delivered ?? 0,
    failed: counts.failed,
    skipped: counts.skipped,
    bytesRead: counts.bytesRead,
    totalBytes: input.totalBytes,
  }), intervalMs);

  try {
    letter = new Letter({
      apiKey,
      baseUrl,
      maxQueueBytes: IMPORT_QUEUE_BYTES,
      // The CLI is Node-only, and a long import is exactly the sustained load where node:http's
      // keep-alive transport costs a fraction of fetch's memory (bench/RESULTS.md).
      fetch: nodeHttpFetch,
      onError: (error) => {
        if (error.messages) {
          counts.failed += error.messages.length;
          if (failedPath !== undefined) for (const message of error.messages) failedIds.add(message.message_id);
        }
        if (error.status === 401 || error.status === 403) fatal ??= error;
        reportedFailures += 1;
        if (reportedFailures <= MAX_REPORTED_FAILURES) progress.print(`letterapp import: not delivered: ${printable(error.message)}\n`);
      },
    });
  } catch (error) {
    progress.stop();
    if (error instanceof LetterError) return fail(error.message, EXIT_FAILURE);
    throw error;
  }

  /** The first line not sent because the import stopped early; every line from it on goes to --failed. */
  let stoppedAtLine: number | undefined;
  let strictStop = false;
  const splitter = new LineSplitter(MAX_LINE_BYTES);
  const handleLine = (line: string | typeof TOO_LONG): Promise<void> | undefined => {
    counts.linesRead += 1;
    const lineNumber = counts.linesRead;
    if (line !== TOO_LONG && line.trim() === '') return undefined;
    const parsed: ParsedLine = line === TOO_LONG ? { type: 'bad', reason: `longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` } : parseLine(line, lineNumber);
    let reason = parsed.type === 'bad' ? parsed.reason : undefined;
    if (parsed.type !== 'bad') {
      try {
        const more = send(letter, parsed);
        counts.accepted += 1;
        // The SDK's backpressure: the file is read only as fast as the API takes the messages.
        return more ? undefined : letter.drain();
      } catch (error) {
        if (!(error instanceof LetterError && error.code === 'invalid_argument')) throw error;
        reason = inLineNames(error.message, parsed.snakeCase);
      }
    }
    counts.skipped += 1;
    if (counts.skipped <= MAX_REPORTED_BAD_LINES) progress.print(`letterapp import: line ${lineNumber}: ${printable(reason ?? '')}\n`);
    if (strict) {
      strictStop = true;
      stoppedAtLine = lineNumber;
    }
    return undefined;
  };

  // next() by hand rather than for await: leaving a for-await loop early would destroy the
  // stream, and on an early stop the rest of standard input is still to be copied for --failed.
  const chunks = (input.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  reading: for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const chunk = next.value;
    counts.bytesRead += chunk.byteLength;
    if (input.copy && !input.copy.write(chunk)) await new Promise<void>((resolve) => input.copy!.once('drain', () => resolve()));
    for (const line of splitter.push(chunk)) {
      const wait = handleLine(line);
      if (wait) await wait;
      if (strictStop) break reading;
      if (fatal) {
        stoppedAtLine = counts.linesRead + 1;
        break reading;
      }
    }
  }
  if (stoppedAtLine === undefined) {
    const last = splitter.end();
    const wait = last === undefined ? undefined : handleLine(last);
    if (wait) await wait;
  }
  if (input.copy) {
    // Stopped early on standard input: the lines not read yet belong in --failed too, so the
    // rest is copied (not sent) before the copy is read back.
    if (stoppedAtLine !== undefined) {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        if (!input.copy.write(next.value)) await new Promise<void>((resolve) => input.copy!.once('drain', () => resolve()));
      }
    }
    await new Promise<void>((resolve) => input.copy!.end(() => resolve()));
  }
  input.stream.destroy();
  await letter.close();
  progress.stop();
  const { delivered, dropped } = letter.stats();

  let failedLines = 0;
  if (failedPath !== undefined) failedLines = await writeFailed(input, failedPath, failedIds, stoppedAtLine);

  const seconds = (performance.now() - startedAtMs) / 1000;
  const summary = [
    `${count(counts.linesRead)} lines`,
    `${count(delivered)} delivered`,
    ...(counts.failed > 0 ? [`${count(counts.failed)} not delivered`] : []),
    ...(dropped > 0 ? [`${count(dropped)} dropped (memory budget full)`] : []),
    ...(counts.skipped > 0 ? [`${count(counts.skipped)} bad line${counts.skipped === 1 ? '' : 's'} ${strict ? 'stopped the import' : 'skipped'}`] : []),
    ...(stoppedAtLine !== undefined && !strictStop ? [`stopped at line ${count(stoppedAtLine)}: the API refused the key`] : []),
  ];
  const rate = seconds > 0 ? Math.round(counts.linesRead / seconds) : counts.linesRead;
  process.stdout.write(`Imported ${input.name} to ${baseUrl}: ${summary.join(', ')} in ${seconds.toFixed(1)} s (${count(rate)} lines/s)\n`);
  if (failedPath !== undefined && failedLines > 0) {
    process.stdout.write(`Wrote ${count(failedLines)} undelivered line${failedLines === 1 ? '' : 's'} to ${failedPath}; retry with: letterapp import ${failedPath}\n`);
  }
  if (strictStop) return EXIT_USAGE;
  return delivered === counts.accepted && counts.skipped === 0 && stoppedAtLine === undefined ? EXIT_OK : EXIT_FAILURE;
}

/**
 * Writes the lines not delivered: those whose message id onError reported, and every line from
 * `stoppedAtLine` on. It reads the input a second time, so memory holds only the failed ids.
 */
async function writeFailed(input: Input, path: string, failedIds: ReadonlySet<string>, stoppedAtLine: number | undefined): Promise<number> {
  if (failedIds.size === 0 && stoppedAtLine === undefined) return 0;
  const writer = createWriteStream(path);
  const splitter = new LineSplitter(MAX_LINE_BYTES);
  let lineNumber = 0;
  let written = 0;
  const consider = async (line: string | typeof TOO_LONG): Promise<void> => {
    lineNumber += 1;
    if (line === TOO_LONG || line.trim() === '') return;
    const parsed = parseLine(line, lineNumber);
    const unsent = stoppedAtLine !== undefined && lineNumber >= stoppedAtLine;
    if (!unsent && (parsed.type === 'bad' || !failedIds.has(parsed.messageId))) return;
    written += 1;
    if (!writer.write(`${parsed.type === 'bad' ? line : withMessageId(line, parsed)}\n`)) await new Promise<void>((resolve) => writer.once('drain', () => resolve()));
  };
  for await (const chunk of input.reopen() as AsyncIterable<Buffer>) {
    for (const line of splitter.push(chunk)) await consider(line);
  }
  const last = splitter.end();
  if (last !== undefined) await consider(last);
  await new Promise<void>((resolve) => writer.end(() => resolve()));
  return written;
}

/** Hands a parsed line to the client; false, like `Writable.write()`, means `await letter.drain()` first. */
function send(letter: Letter, parsed: Exclude<ParsedLine, { type: 'bad' }>): boolean {
  if (parsed.type === 'identify') return letter.identify(parsed.call);
  if (parsed.type === 'group') return letter.group(parsed.call);
  return letter.track(parsed.call);
}

async function openInput(path: string, keepCopy: boolean): Promise<Input> {
  if (path === '-') {
    let copyPath: string | undefined;
    let copy: WriteStream | undefined;
    if (keepCopy) {
      // Standard input cannot be read twice: --failed needs a copy on disk (removed at the end).
      const dir = await mkdtemp(join(tmpdir(), 'letterapp-import-'));
      copyPath = join(dir, 'stdin.ndjson');
      copy = createWriteStream(copyPath);
    }
    return {
      name: 'standard input',
      stream: process.stdin,
      totalBytes: undefined,
      copy,
      reopen: () => createReadStream(copyPath!, { highWaterMark: READ_CHUNK_BYTES }),
      close: async () => {
        if (copyPath !== undefined) await rm(join(copyPath, '..'), { recursive: true, force: true });
      },
    };
  }
  // Opened once up front, so a missing or unreadable file is reported before anything is sent.
  const handle = await open(path, 'r');
  const stat = await handle.stat();
  await handle.close();
  if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  return {
    name: path,
    stream,
    totalBytes: stat.isFile() ? stat.size : undefined,
    copy: undefined,
    reopen: () => createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }),
    close: async () => {
      stream.destroy();
    },
  };
}

function progressIntervalMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PROGRESS_INTERVAL_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0)) throw new UsageError(`--progress-interval must be a number of seconds above 0, such as 5 or 0.5, got ${JSON.stringify(text)}`, COMMAND);
  return seconds * 1000;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return describeThrown(error);
}

function fail(message: string, status: number): number {
  process.stderr.write(`letterapp ${COMMAND}: ${message}\n`);
  return status;
}
