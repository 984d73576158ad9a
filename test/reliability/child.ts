import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Runs a reliability fixture with Node and parses the JSON it prints last. */
export async function runJsonFixture<T>(name: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): Promise<T> {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
