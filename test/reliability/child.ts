import { execFile, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Runs a reliability fixture with Node and parses the JSON it prints last. */
export async function runJsonFixture<T>(name: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): Promise<T> {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return lastJsonLine<T>(stdout);
}

/** The prefix that starts a command at the lowest CPU priority, where there is a `nice`; else none. */
const NICE = spawnSync('nice', ['-n', '19', 'true']).status === 0 ? ['nice', '-n', '19'] : [];

/**
 * Starts a fixture that runs until its stdin ends; `first` parses the first JSON line it prints,
 * `stop` ends it and parses the last. `lowPriority` starts it under `nice -n 19` where there is one.
 */
export function startFixture(name: string, { env, lowPriority = false }: { env?: Record<string, string>; lowPriority?: boolean } = {}): { first: <T>() => Promise<T>; stop: <T>() => Promise<T> } {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const [command, ...prefix] = lowPriority && NICE.length > 0 ? [...NICE, process.execPath] : [process.execPath];
  const child = spawn(command!, [...prefix, script], { stdio: ['pipe', 'pipe', 'inherit'], ...(env && { env: { PATH: process.env.PATH ?? '', ...env } }) });
  let stdout = '';
  const firstLine = new Promise<string>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with code ${code}`))));
  });
  return {
    async first<T>() {
      return JSON.parse(await Promise.race([firstLine, exited.then(() => stdout)])) as T;
    },
    async stop<T>() {
      child.stdin.end();
      await exited;
      return lastJsonLine<T>(stdout);
    },
  };
}

function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
