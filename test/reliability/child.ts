import { execFile, spawn } from 'node:child_process';
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

/** Starts a fixture that runs until its stdin ends; `stop` ends it and parses the JSON it prints last. */
export function startFixture(name: string): { stop: <T>() => Promise<T> } {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with code ${code}`))));
  });
  return {
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
