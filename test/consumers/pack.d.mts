export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  input?: string;
}

export const ROOT: string;
export function run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
export function cleanEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function expectSuccess(result: RunResult, what: string): RunResult;
export function packTarball(destDir: string): Promise<{ tarball: string; files: string[]; ms: number }>;
export function installTarball(dir: string, tarball: string, extraPackageJson?: Record<string, unknown>): Promise<{ ms: number }>;
