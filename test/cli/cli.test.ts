/**
 * The `letterapp` bin, run for real: `node dist/cli.js …` as a child process (`npm test` builds
 * dist/ first), against the contract test server on 127.0.0.1. Synchronisation is on printed
 * lines and process exit, never on sleeps.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Letter, type LetterError } from '../../dist/index.js';
import { startTestServer, type TestServer } from '../../dist/testing.js';
import { CliProcess, killLeftovers, runCli } from './run-cli.js';

const API_KEY = 'lt_test_cli_5e1f0a';
const ESCAPE = '\u001b[';
const BASE_URL_LINE = /LETTER_BASE_URL=(http:\/\/127\.0\.0\.1:(\d+))/;

let server: TestServer | undefined;

afterEach(async () => {
  killLeftovers();
  await server?.close();
  server = undefined;
});

/** A contract server that accepts only {@link API_KEY}, and the environment pointing the CLI at it. */
async function serverEnv(): Promise<{ server: TestServer; env: Record<string, string> }> {
  server = await startTestServer({ apiKey: API_KEY });
  return { server, env: { LETTER_API_KEY: API_KEY, LETTER_BASE_URL: server.url } };
}

describe('help and usage', () => {
  it.each([
    [['--help'], 'Usage: letterapp <command>', ['listen', 'send track|identify|group', '--version', 'LETTER_API_KEY']],
    [['-h'], 'Usage: letterapp <command>', ['listen']],
    [['listen', '--help'], 'Usage: letterapp listen', ['--port', '--api-key', 'NO_COLOR', '127.0.0.1']],
    [['send', '--help'], 'Usage: letterapp send <track|identify|group>', ['send track', 'send identify', 'send group']],
    [['send', 'track', '--help'], 'Usage: letterapp send track', ['--user-id', '--event', '--properties', '--timestamp', '--message-id', 'Exit status']],
    [['send', 'identify', '-h'], 'Usage: letterapp send identify', ['--email', '--traits', '--timezone', '--message-id']],
    [['send', 'group', '--help'], 'Usage: letterapp send group', ['--account-id', '--name', '--traits', '--timestamp']],
    [['help', 'send', 'group'], 'Usage: letterapp send group', ['--account-id']],
  ])('letterapp %j prints its help and exits 0', async (args, usage, mentions) => {
    const result = await runCli(args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.startsWith(usage)).toBe(true);
    for (const text of mentions) expect(result.stdout).toContain(text);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [['frobnicate'], 'letterapp: unknown command "frobnicate"'],
    [['--verbose'], 'letterapp: unknown flag --verbose'],
    [['send', 'page'], 'letterapp send: unknown message type "page"'],
    [['send', 'track', '--user-id', '1', '--event', 'x', '--colour'], 'letterapp send track: unknown flag --colour'],
    [['send', 'track', '--userId', '1'], 'unknown flag --userId (did you mean --user-id?)'],
    [['send', 'track', '--user-id', '1', '--event'], '--event needs a value'],
    [['send', 'track', '--user-id', '1', '--event', 'x', 'extra'], 'unexpected argument "extra"'],
    [['listen', '--port', 'eighty'], '--port must be a port number from 0 to 65535'],
    [['listen', '--host', '0.0.0.0'], 'letterapp listen: unknown flag --host'],
    // Looked up in a Map: Object.prototype's members are not commands.
    [['help', 'constructor'], 'letterapp: no help for "constructor"'],
    [['help', 'toString'], 'letterapp: no help for "toString"'],
    [['help', '__proto__'], 'letterapp: no help for "__proto__"'],
    [['constructor'], 'letterapp: unknown command "constructor"'],
    [['send', 'hasOwnProperty'], 'letterapp send: unknown message type "hasOwnProperty"'],
    [['send', 'track', '--constructor', 'x'], 'letterapp send track: unknown flag --constructor'],
    [['listen', '--__proto__', '1'], 'letterapp listen: unknown flag --__proto__'],
  ])('letterapp %j is a usage error: exit 2 and a clear message', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/Run 'letterapp[a-z ]*--help' for usage/);
  });

  it('no command prints the help to stderr and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: letterapp <command>');
  });
});

describe('send', () => {
  it('send track delivers through the SDK and prints the message id', async () => {
    const { server, env } = await serverEnv();
    const result = await runCli(['send', 'track', '--user-id', '42', '--event', 'Signed Up', '--properties', '{"plan":"pro"}'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const messageId = /message_id ([0-9a-f-]{36})\)/.exec(result.stdout)?.[1];
    expect(result.stdout).toContain(`Sent track "Signed Up" for user 42 to ${server.url}`);
    expect(server.messages).toEqual([
      { type: 'track', message_id: messageId, timestamp: expect.any(String), user_id: '42', event: 'Signed Up', properties: { plan: 'pro' } },
    ]);
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^letterapp-node\//);
  });

  it('send identify and send group carry every flag, --timestamp and --message-id included', async () => {
    const { server, env } = await serverEnv();
    const identify = await runCli([
      'send', 'identify', '--user-id', 'u_1', '--email', 'ada@example.com', '--traits', '{"name":"Ada"}',
      '--timezone', 'Europe/London', '--timestamp', '2026-11-22T10:15:30Z', '--message-id', 'backfill-1',
    ], env);
    const group = await runCli([
      'send', 'group', '--user-id', 'u_1', '--account-id', 'ws_9', '--name', 'Acme', '--traits', '{"mrr":49}',
      '--timestamp', '1700000000000', '--message-id', 'backfill-2',
    ], env);
    expect(identify).toMatchObject({ code: 0, stderr: '' });
    expect(group).toMatchObject({ code: 0, stderr: '' });
    expect(server.messages).toEqual([
      { type: 'identify', message_id: 'backfill-1', timestamp: '2026-11-22T10:15:30.000Z', user_id: 'u_1', email: 'ada@example.com', traits: { name: 'Ada' }, timezone: 'Europe/London' },
      { type: 'group', message_id: 'backfill-2', timestamp: '2023-11-14T22:13:20.000Z', user_id: 'u_1', account_id: 'ws_9', name: 'Acme', traits: { mrr: 49 } },
    ]);
  });

  it('a rejected key exits 1 with the API message and request id, and never prints the key', async () => {
    const { server, env } = await serverEnv();
    const wrongKey = 'lt_test_wrong_9d8c7b';
    const result = await runCli(['send', 'track', '--user-id', '42', '--event', 'Signed Up'], { ...env, LETTER_API_KEY: wrongKey });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('letterapp send track: not delivered: unknown API key (HTTP 401 authentication_error, request id req_test1)\n');
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongKey);
    // 401 is not retried: one request, nothing stored.
    expect(server.requests.map((request) => request.reply)).toEqual([401]);
    expect(server.messages).toEqual([]);
  });

  it('prints the server\'s error message with its terminal escapes made visible, never raw', async () => {
    const { server, env } = await serverEnv();
    const hostile = 'bad\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202eevil';
    server.reply({ status: 400, body: { error: { type: 'invalid\u001b[31m', message: hostile, request_id: 'req\u001b[1A' } } });
    const result = await runCli(['send', 'track', '--user-id', '42', '--event', 'Signed Up'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(result.stderr).toBe(
      'letterapp send track: not delivered: bad\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202eevil (HTTP 400 invalid\\u001b[31m, request id req_test1)\n',
    );
  });

  it('--api-key and --base-url override the environment', async () => {
    const { server } = await serverEnv();
    const result = await runCli(['send', 'track', '--user-id', '7', '--event', 'Key Checked', '--api-key', API_KEY, '--base-url', server.url], {
      LETTER_API_KEY: 'lt_test_not_this_one',
      LETTER_BASE_URL: 'http://127.0.0.1:1',
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain(API_KEY);
    expect(server.messages).toMatchObject([{ user_id: '7', event: 'Key Checked' }]);
  });

  it.each([
    [['send', 'track', '--user-id', '42', '--event', 'x', '--properties', '{plan:"pro"}'], 'letterapp send track: --properties is not valid JSON'],
    [['send', 'identify', '--user-id', '42', '--traits', '{"name":'], 'letterapp send identify: --traits is not valid JSON'],
    [['send', 'group', '--user-id', '42', '--account-id', 'a', '--traits', '[1,2]'], 'invalid --traits: traits must be a plain object, got an array'],
    [['send', 'track', '--user-id', '42', '--event', 'x', '--timestamp', 'yesterday'], 'invalid --timestamp: timestamp "yesterday" is not an ISO 8601'],
    [['send', 'identify', '--user-id', '42', '--timezone', 'Mars/Olympus'], 'invalid --timezone'],
    [['send', 'track', '--user-id', '42', '--event', 'x', '--timestamp', '2026-02-30'], 'invalid --timestamp: timestamp "2026-02-30" is not a real date-time: February 2026 has days 01 to 28, not 30'],
    [['send', 'track', '--user-id', '42', '--event', 'x', '--timestamp', '2026-02-31T10:00:00Z'], 'February 2026 has days 01 to 28, not 31'],
    [['send', 'track', '--user-id', '42', '--event', 'x', '--timestamp', '2026-11-22T24:00Z'], 'hour 24 is not 00 to 23'],
    [['send', 'track', '--user-id', '42', '--event', 'x', '--timestamp', '1763806530'],
      'letterapp send track: --timestamp 1763806530 looks like epoch seconds (2025-11-22T10:15:30.000Z), but epoch milliseconds are expected: as milliseconds it would be 1970-01-21T09:56:46.530Z. Write 1763806530000, or an ISO 8601 date-time'],
    [['send', 'group', '--account-id', 'a'], 'letterapp send group: missing --user-id'],
    [['send', 'track', '--user-id', ''], 'missing --event'],
  ])('bad input %j exits 2 naming the flag, and sends nothing', async (args, message) => {
    const { server, env } = await serverEnv();
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(server.requests).toEqual([]);
  });

  it('without an API key, exits 1 and says how to provide one', async () => {
    const { server } = await serverEnv();
    const result = await runCli(['send', 'track', '--user-id', '42', '--event', 'x'], { LETTER_BASE_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no API key: set LETTER_API_KEY');
    expect(server.requests).toEqual([]);
  });
});

describe('listen', () => {
  it('prints each message a Letter client sends it, and each rejected request, without colour when piped', async () => {
    const cli = new CliProcess(['listen', '--port', '0']);
    const [, baseUrl = '', port] = await cli.waitForLine(BASE_URL_LINE);
    expect(Number(port)).toBeGreaterThan(0);

    const letter = new Letter({ apiKey: 'lt_test_app', baseUrl });
    letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada' } });
    letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme Inc', traits: { plan: 'team' } });
    letter.track({ userId: 42, event: 'Signed Up', properties: { plan: 'pro' } });
    await letter.close();
    const track = await cli.waitForLine(/ track .*user_id=42/);
    expect(track.input).toMatch(/^\d\d:\d\d:\d\d\.\d{3} track +user_id=42 event="Signed Up" properties=\{"plan":"pro"\}$/);
    const lines = cli.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/ identify +user_id=42 email=ada@example\.com traits=\{"name":"Ada"\}$/));
    expect(lines).toContainEqual(expect.stringMatching(/ group +user_id=42 account_id=ws_9 name="Acme Inc" traits=\{"plan":"team"\}$/));

    const errors: LetterError[] = [];
    const rejected = new Letter({ apiKey: 'not_a_letter_key', baseUrl, onError: (error) => errors.push(error) });
    rejected.track({ userId: 1, event: 'Nope' });
    await rejected.close();
    expect(errors.map((error) => error.status)).toEqual([401]);
    // Refused on its headers, its body unread: no message count.
    await cli.waitForLine(/ rejected +401 authentication_error: unknown API key \(POST \/v1\/batch, request req_test\d+\)$/);

    const result = await cli.stop('SIGINT');
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(result.stdout).toContain('Stopped (SIGINT): 3 messages received.');
    expect(result.stdout).not.toContain(ESCAPE);
  });

  it('colours only when asked to (FORCE_COLOR) and never with NO_COLOR; stops on SIGTERM', async () => {
    const coloured = new CliProcess(['listen', '--port', '0'], { FORCE_COLOR: '1' });
    const plain = new CliProcess(['listen', '--port', '0'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    await Promise.all([coloured.waitForLine(BASE_URL_LINE), plain.waitForLine(BASE_URL_LINE)]);
    const [colouredResult, plainResult] = await Promise.all([coloured.stop('SIGTERM'), plain.stop('SIGTERM')]);
    expect(colouredResult).toMatchObject({ code: 0, signal: null });
    expect(colouredResult.stdout).toContain(ESCAPE);
    expect(plainResult).toMatchObject({ code: 0, signal: null });
    expect(plainResult.stdout).not.toContain(ESCAPE);
    expect(plainResult.stdout).toContain('Stopped (SIGTERM): 0 messages received.');
  });

  it('--api-key makes it accept only that key; a taken port is a clear error', async () => {
    const cli = new CliProcess(['listen', '--port', '0', '--api-key', API_KEY]);
    const [, baseUrl = '', port = ''] = await cli.waitForLine(BASE_URL_LINE);
    expect(cli.stdout).not.toContain(API_KEY);

    const taken = await runCli(['listen', '--port', port]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);

    const sent = await runCli(['send', 'track', '--user-id', '5', '--event', 'Checked'], { LETTER_API_KEY: API_KEY, LETTER_BASE_URL: baseUrl });
    const refused = await runCli(['send', 'track', '--user-id', '6', '--event', 'Checked'], { LETTER_API_KEY: 'lt_test_other', LETTER_BASE_URL: baseUrl });
    expect(sent.code).toBe(0);
    expect(refused.code).toBe(1);
    await cli.waitForLine(/ track +user_id=5 event=Checked$/);
    await cli.waitForLine(/ rejected +401 /);
    expect(cli.stdout).not.toContain('user_id=6');
    expect((await cli.stop('SIGINT')).code).toBe(0);
  });
});
