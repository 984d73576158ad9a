import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real bin as `npm test` builds it (tsup runs first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** How a CLI run ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Children still running, so a failed test never leaves a server listening behind it. */
const running = new Set<ChildProcess>();

/** Kills whatever a test left running; call from afterEach. */
export function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * A running `node dist/cli.js …`, with stdout and stderr piped (so never a TTY) and an
 * environment of only PATH and `env`: no FORCE_COLOR or LETTER_* leaks in from the test runner.
 */
export class CliProcess {
  readonly #child: ChildProcess;
  #stdout = '';
  #stderr = '';
  /** Re-checked on every chunk of output and on exit. */
  readonly #listeners = new Set<() => void>();
  #result: CliResult | undefined;
  /** Resolves when the process has exited and its output is closed. */
  readonly exited: Promise<CliResult>;

  /** `input`, when given, is written to the child's stdin, which is then closed. */
  constructor(args: string[], env: Record<string, string> = {}, input?: string | Buffer) {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) {
      // The CLI may exit before reading it all (a usage error): EPIPE is expected then.
      child.stdin?.on('error', () => {});
      child.stdin?.end(input);
    }
    this.#child = child;
    running.add(child);
    child.stdout?.on('data', (chunk: Buffer) => this.#append('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#append('stderr', chunk));
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        running.delete(child);
        this.#result = { code, signal, stdout: this.#stdout, stderr: this.#stderr };
        this.#notify();
        resolve(this.#result);
      });
    });
  }

  /** The child's process id, to read its memory from /proc. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** Resolves with the first complete stdout line matching `pattern`; rejects if the process exits without one. */
  waitForLine(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        // Complete lines only: a chunk can end mid-line ("…127.0.0.1:44" of port 44593).
        const lines = this.#stdout.split('\n').slice(0, -1);
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match) {
            this.#listeners.delete(check);
            return resolve(match);
          }
        }
        if (this.#result) {
          this.#listeners.delete(check);
          reject(new Error(`letterapp exited (${this.#result.code ?? this.#result.signal}) before printing ${pattern}\nstdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`));
        }
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Sends `signal` and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<CliResult> {
    this.#child.kill(signal);
    return this.exited;
  }

  #append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (stream === 'stdout') this.#stdout += chunk.toString();
    else this.#stderr += chunk.toString();
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string | Buffer): Promise<CliResult> {
  return new CliProcess(args, env, input).exited;
}
