/**
 * `letterapp import`, the real bin against the contract test server: shapes, bad lines, --strict,
 * exit statuses, re-runs deduplicated, --failed, standard input and the progress lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from '../../dist/testing.js';
import { killLeftovers, runCli } from './run-cli.js';

const API_KEY = 'lt_test_import_77';
let server: TestServer;
let dir: string;
let env: Record<string, string>;

async function useServer(replies?: (request: RecordedRequest, index: number) => Reply): Promise<void> {
  server = await startTestServer({ apiKey: API_KEY, ...(replies && { replies }) });
  env = { LETTER_API_KEY: API_KEY, LETTER_BASE_URL: server.url };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letterapp-import-test-'));
  await useServer();
});
afterEach(async () => {
  killLeftovers();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const track = (index: number): string => JSON.stringify({ type: 'track', userId: `u${index}`, event: 'Imported', properties: { index } });

describe('letterapp import', () => {
  it('sends call-shape and wire-shape lines from one file, and exits 0 when all are delivered', async () => {
    const path = file('mixed.ndjson', [
      '{"type":"identify","userId":"42","email":"ada@example.com","traits":{"name":"Ada"}}',
      '{"type":"group","user_id":"42","account_id":"ws_9","name":"Acme","message_id":"g-1"}',
      '',
      '{"type":"track","user_id":42,"event":"Signed Up","timestamp":"2026-11-22T10:15:30.123Z","properties":{"plan":"pro"}}',
      '{"type":"track","userId":"43","event":"Signed Up","messageId":"t-2","timestamp":1763806530123}\r',
    ]);
    const result = await runCli(['import', path], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Imported ${path} to ${server.url}: 5 lines, 4 delivered in \\d+\\.\\d s \\([\\d,]+ lines/s\\)\\n$`));
    expect(server.messages).toEqual([
      { type: 'identify', message_id: expect.stringMatching(/^[0-9a-f-]{36}$/), timestamp: expect.any(String), user_id: '42', email: 'ada@example.com', traits: { name: 'Ada' } },
      { type: 'group', message_id: 'g-1', timestamp: expect.any(String), user_id: '42', account_id: 'ws_9', name: 'Acme' },
      { type: 'track', message_id: expect.any(String), timestamp: '2026-11-22T10:15:30.123Z', user_id: '42', event: 'Signed Up', properties: { plan: 'pro' } },
      { type: 'track', message_id: 't-2', timestamp: '2025-11-22T10:15:30.123Z', user_id: '43', event: 'Signed Up' },
    ]);
  });

  it('skips a bad line, naming its line number and the reason in the line\'s own field names, and exits 1', async () => {
    const path = file('bad.ndjson', [
      track(1),
      '{"type":"track","user_id":"","event":"x"}',
      'not json',
      '{"type":"track","userId":"3","event":"x","propertes":{}}',
      '{"type":"track","userId":"4","event":"x","timestamp":"2026-02-30"}',
      track(6),
    ]);
    const result = await runCli(['import', path], env);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'letterapp import: line 2: user_id must not be empty',
      expect.stringMatching(/^letterapp import: line 3: not valid JSON \(/),
      'letterapp import: line 4: track() has no field `propertes`; expected userId, event, properties, timestamp, messageId',
      'letterapp import: line 5: timestamp "2026-02-30" is not a real date-time: February 2026 has days 01 to 28, not 30',
      '',
    ]);
    expect(result.stdout).toContain(': 6 lines, 2 delivered, 4 bad lines skipped in ');
    expect(server.messages.map((message) => message.user_id)).toEqual(['u1', 'u6']);
  });

  it('--strict stops at the first bad line with exit 2; the lines before it are delivered, none after', async () => {
    const path = file('strict.ndjson', [track(1), track(2), '{"type":"track","userId":"3"}', track(4)]);
    const result = await runCli(['import', path, '--strict'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('letterapp import: line 3: event is required\n');
    expect(result.stdout).toContain(': 3 lines, 2 delivered, 1 bad line stopped the import in ');
    expect(server.messages.map((message) => message.user_id)).toEqual(['u1', 'u2']);
  });

  it.each([
    [['import'], 2, 'letterapp import: which file? letterapp import FILE, or - for standard input'],
    [['import', 'a.ndjson', 'b.ndjson'], 2, 'one file at a time, got 2'],
    [['import', '/nonexistent/events.ndjson'], 2, 'letterapp import: cannot read /nonexistent/events.ndjson: no such file'],
    [['import', '/tmp'], 2, 'letterapp import: cannot read /tmp: it is a directory'],
    [['import', '-', '--progress-interval', '0'], 2, '--progress-interval must be a number of seconds above 0'],
    [['import', '-', '--failed', '/nonexistent/dir/failed.ndjson'], 2, 'cannot write --failed /nonexistent/dir/failed.ndjson: no such file'],
    [['import', '-', '--stritc'], 2, 'unknown flag --stritc'],
  ])('letterapp %j exits %i: %s', async (args, code, message) => {
    const result = await runCli(args, env, '');
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(server.requests).toEqual([]);
  });

  it('without an API key, exits 1 and says how to provide one', async () => {
    const result = await runCli(['import', file('one.ndjson', [track(1)])], { LETTER_BASE_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no API key: set LETTER_API_KEY');
  });

  it('is safe to re-run: the same file gives the same message ids, so the second run stores nothing new', async () => {
    const path = file('rerun.ndjson', Array.from({ length: 2000 }, (_, index) => track(index)));
    const first = await runCli(['import', path], env);
    expect(first.code).toBe(0);
    expect(server.messages).toHaveLength(2000);
    const second = await runCli(['import', path], env);
    expect(second.code).toBe(0);
    expect(server.messages).toHaveLength(2000);
    const acknowledged = server.requests.slice(-1)[0];
    expect(acknowledged?.reply).toBe(200);
  });

  it('--failed writes exactly the lines of refused batches, as written plus their ids, and retrying them stores them', async () => {
    await server.close();
    // Every other request is refused: which lines fail depends on batching, so the test reads it back from the server.
    await useServer((_request, index) => (index % 2 === 1 ? { status: 400 } : 'ok'));
    // About 1.3 MB of lines: several 500 KB bodies, so some are refused and some stored.
    const pad = 'p'.repeat(400);
    const lines = Array.from({ length: 3000 }, (_, index) =>
      JSON.stringify(index % 2 ? { type: 'track', userId: `u${index}`, event: 'Imported', properties: { pad } } : { type: 'track', user_id: `u${index}`, event: 'Imported', properties: { pad } }));
    const path = file('some-fail.ndjson', lines);
    const failedPath = join(dir, 'failed.ndjson');
    const result = await runCli(['import', path, '--failed', failedPath, '--progress-interval', '60'], env);
    expect(result.code).toBe(1);

    const refusedIds = server.requests.filter((request) => request.reply === 400).flatMap((request) => request.body?.batch ?? []).map((message) => message.message_id);
    expect(refusedIds.length).toBeGreaterThan(0);
    expect(result.stdout).toContain(`, ${refusedIds.length.toLocaleString('en-US')} not delivered in `);
    expect(result.stdout).toContain(`Wrote ${refusedIds.length.toLocaleString('en-US')} undelivered lines to ${failedPath}`);
    const failedLines = readFileSync(failedPath, 'utf8').trimEnd().split('\n');
    expect(failedLines).toHaveLength(refusedIds.length);
    for (const line of failedLines) {
      const { messageId, message_id: wireId, ...rest } = JSON.parse(line) as Record<string, unknown>;
      // The original line, with the id it was sent with put first.
      expect(lines).toContain(JSON.stringify(rest));
      expect(refusedIds).toContain(messageId ?? wireId);
    }
    expect(server.messages.length + refusedIds.length).toBe(3000);

    const retryServer = await startTestServer({ apiKey: API_KEY });
    try {
      const retry = await runCli(['import', failedPath], { ...env, LETTER_BASE_URL: retryServer.url });
      expect(retry.code).toBe(0);
      expect(retryServer.messages.map((message) => message.message_id).sort()).toEqual([...refusedIds].sort());
    } finally {
      await retryServer.close();
    }
  });

  it('a refused API key stops the import (exit 1), and --failed holds every line not delivered', async () => {
    const path = file('wrong-key.ndjson', Array.from({ length: 20_000 }, (_, index) => track(index)));
    const failedPath = join(dir, 'failed.ndjson');
    const result = await runCli(['import', path, '--failed', failedPath], { ...env, LETTER_API_KEY: 'lt_test_wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('letterapp import: not delivered: Request failed with status code 401');
    expect(result.stdout).toMatch(/stopped at line [\d,]+: the API refused the key/);
    expect(readFileSync(failedPath, 'utf8').trimEnd().split('\n')).toHaveLength(20_000);
    expect(server.messages).toEqual([]);
  });

  it('--strict on standard input: --failed holds the bad line and every line after it, read or not', async () => {
    const lines = [track(1), '{"type":"track","userId":"2"}', ...Array.from({ length: 5000 }, (_, index) => track(index + 3))];
    const failedPath = join(dir, 'strict-failed.ndjson');
    const result = await runCli(['import', '-', '--strict', '--failed', failedPath], env, `${lines.join('\n')}\n`);
    expect(result.code).toBe(2);
    const failed = readFileSync(failedPath, 'utf8').trimEnd().split('\n');
    expect(failed).toHaveLength(lines.length - 1);
    // The bad line too (it may be fixed and retried), with the id it would have been sent with.
    expect(JSON.parse(failed[0] ?? '')).toEqual({ messageId: expect.any(String), type: 'track', userId: '2' });
    expect(JSON.parse(failed.at(-1) ?? '')).toMatchObject({ userId: 'u5002', messageId: expect.any(String) });
    expect(server.messages.map((message) => message.user_id)).toEqual(['u1']);
  });

  it('reads standard input with -, and --failed works there too', async () => {
    const input = `${Array.from({ length: 1000 }, (_, index) => track(index)).join('\n')}\n`;
    const result = await runCli(['import', '-', '--failed', join(dir, 'none.ndjson')], env, input);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Imported standard input to .*: 1,000 lines, 1,000 delivered in /);
    expect(server.messages).toHaveLength(1000);
    expect(readFileSync(join(dir, 'none.ndjson'), 'utf8')).toBe('');
  });

  it('prints plain progress lines on stderr when it is not a terminal', async () => {
    await server.close();
    await useServer(() => ({ delayMs: 40 }));
    const path = file('progress.ndjson', Array.from({ length: 12_000 }, (_, index) => track(index)));
    const result = await runCli(['import', path, '--progress-interval', '0.05'], env);
    expect(result.code).toBe(0);
    const progress = result.stderr.split('\n').filter(Boolean);
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) {
      expect(line).toMatch(/^letterapp import: [\d,]+ lines read, [\d,]+ delivered, 0 failed, [\d,]+ lines\/s(, ETA \d+ s)? \(\d+% of the input\)$/);
    }
    expect(result.stderr).not.toContain('\u001b');
  });

  it.each([[['import', '--help']], [['help', 'import']], [['import', '-h']]])('letterapp %j prints the import help', async (args) => {
    const result = await runCli(args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.startsWith('Usage: letterapp import FILE [flags]')).toBe(true);
    for (const text of ['--strict', '--failed FILE', '--progress-interval', 'user_id', 'SHA-256', 'Exit status']) expect(result.stdout).toContain(text);
  });
});
