/**
 * Packaging, proven on the packed tarball rather than on the repository:
 * - publint and @arethetypeswrong/cli (attw) report nothing;
 * - the tarball is installed (offline, `npm install`) into throwaway projects that type-check and
 *   run as users would write them: ESM, CommonJS, and TypeScript with moduleResolution node16,
 *   nodenext, bundler (type-checked, bundled by esbuild, run) and node10;
 * - type-level tests: `track` without `userId`/`event`, `group` without `accountId`, a misspelt
 *   event of a typed tracking plan (and more) are type errors, and each for the stated reason;
 * - a project as `tsc --init` sets it up (exactOptionalPropertyTypes and all) type-checks the
 *   README's Quick start, explicit `undefined`/`null` fields and typed plans, under this
 *   repository's TypeScript 5.9 and under TypeScript 7 (the native compiler, which
 *   `npm install typescript` gets today; installed into a cache folder, see typescript-native.mjs).
 *
 * The fixtures are in ./.fixtures (a dot folder, so the repository's own `tsc` does not check them
 * under its settings: they are checked here under theirs). One pack and one install serve every
 * case; TypeScript and @types/node come from this repository's node_modules. Type-checking checks
 * the consumer's code and letterapp's own .d.ts/.d.cts files, not @types/node (typecheck.mjs).
 */
import { copyFile, cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installTarball, packTarball, ROOT, run, type RunResult } from './pack.mjs';
import { installTypeScriptNative } from './typescript-native.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '.fixtures');
/** `tsc -p`, checking letterapp's declarations but not @types/node's (see typecheck.mjs). */
const TYPECHECK = join(dirname(fileURLToPath(import.meta.url)), 'typecheck.mjs');
// The linters' bins (their exports maps do not expose these paths, so they are found on disk).
const PUBLINT = join(ROOT, 'node_modules', 'publint', 'src', 'cli.js');
const ATTW = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Compiling and running child processes on a loaded 2-core machine: generous, never waited out on success. */
const SLOW = 180_000;

const TS_PROJECTS = ['ts-node16', 'ts-nodenext', 'ts-bundler', 'ts-node10', 'ts-init', 'ts-init/misspelt', 'types-stripped'] as const;
type TsProject = (typeof TS_PROJECTS)[number];

let work = '';
let tarball = '';
let packedFiles: string[] = [];
/** Lines of types/expect-errors.ts that must fail once their @ts-expect-error is removed, with the stated text. */
const expectedErrors = new Map<number, string>();
/** One type-check run for all TypeScript projects (they share the parsed @types/node); started in beforeAll. */
let typechecked: Promise<Map<TsProject, { errors: number; diagnostics: string }>>;
/** TypeScript 7 from the cache (installed there on the first run); started in beforeAll. */
let typescriptNative: ReturnType<typeof installTypeScriptNative>;

beforeAll(async () => {
  typescriptNative = installTypeScriptNative();
  typescriptNative.catch(() => {}); // reported by the tests that await it
  work = await realpath(await mkdtemp(join(tmpdir(), 'letterapp-consumers-')));
  ({ tarball, files: packedFiles } = await packTarball(work));
  await installTarball(work, tarball);
  // @types/node for the TypeScript consumers, found by tsc's usual walk up to node_modules/@types.
  await symlink(join(ROOT, 'node_modules', '@types'), join(work, 'node_modules', '@types'), 'dir');
  await cp(FIXTURES, work, { recursive: true });
  // The type-level tests go into every TypeScript consumer, in each module format its mode has.
  const typeTests = join(work, 'types', 'expect-errors.ts');
  for (const target of [
    'ts-node16/src/expect-errors.ts', // ESM ("type": "module")
    'ts-node16/src/expect-errors-cjs.cts',
    'ts-nodenext/src/expect-errors.ts', // CommonJS ("type": "commonjs")
    'ts-nodenext/src/expect-errors-esm.mts',
    'ts-bundler/src/expect-errors.ts',
    'ts-node10/src/expect-errors.ts',
    'ts-init/src/expect-errors.ts', // exactOptionalPropertyTypes, and TypeScript 7 too
  ]) {
    await copyFile(typeTests, join(work, target));
  }
  // The same tests with their @ts-expect-error lines blanked (line numbers kept): exactly the lines
  // after them must fail, each with a diagnostic containing the stated text. A .ts in a CommonJS
  // package checks them against index.d.cts, the .mts against index.d.ts.
  const stripped = (await readFile(typeTests, 'utf8')).split('\n').map((line, index) => {
    const marker = /^\s*\/\/ @ts-expect-error -- (.+)$/.exec(line);
    if (!marker) return line;
    expectedErrors.set(index + 2, marker[1]!);
    return '';
  });
  const strippedProject = join(work, 'types-stripped');
  await mkdir(strippedProject);
  await writeFile(join(strippedProject, 'package.json'), '{ "private": true, "type": "commonjs" }\n');
  await writeFile(join(strippedProject, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], strict: true, noEmit: true },
    include: ['*.ts', '*.mts'],
  }));
  await writeFile(join(strippedProject, 'stripped.ts'), stripped.join('\n'));
  await writeFile(join(strippedProject, 'stripped.mts'), stripped.join('\n'));

  typechecked = run(process.execPath, [TYPECHECK, ...TS_PROJECTS.map((project) => join(project, 'tsconfig.json'))], { cwd: work, timeoutMs: SLOW }).then((result) => {
    const reports = new Map<TsProject, { errors: number; diagnostics: string }>();
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const report = JSON.parse(line) as { config: string; errors: number; diagnostics: string };
      reports.set(dirname(report.config) as TsProject, report);
    }
    if (reports.size !== TS_PROJECTS.length) throw new Error(describeFailure('typecheck.mjs', result));
    return reports;
  });
  typechecked.catch(() => {}); // reported by the tests that await it
}, SLOW);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function describeFailure(what: string, result: RunResult): string {
  return `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

async function node(file: string): Promise<RunResult> {
  const result = await run(process.execPath, [file], { cwd: dirname(file), timeoutMs: SLOW });
  expect(result.code, describeFailure(`node ${file}`, result)).toBe(0);
  return result;
}

/** `tsc -p <project>` of TypeScript 7 (a native binary, with no compiler API to share parses through). */
async function tscNative(project: string): Promise<RunResult & { version: string }> {
  const { tsc, version } = await typescriptNative;
  const result = await run(process.execPath, [tsc, '-p', join(project, 'tsconfig.json'), '--pretty', 'false'], { cwd: work, timeoutMs: SLOW });
  return { ...result, version };
}

/** The project type-checked cleanly (and, unless noEmit, was emitted to its dist/). */
async function tsc(project: TsProject): Promise<void> {
  const report = (await typechecked).get(project)!;
  expect(report.diagnostics, `type errors in ${project}`).toBe('');
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What every consumer reports: the three calls arrived as the contract says, through the entry it should have loaded. */
function expectDelivered(result: RunResult, entry: 'esm' | 'cjs' | 'bundled'): void {
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';
  const report = JSON.parse(lastLine) as Record<string, unknown>;
  const dist = join(work, 'node_modules', 'letterapp', 'dist');
  const expectedEntry = {
    esm: [pathToFileURL(join(dist, 'index.js')).href, pathToFileURL(join(dist, 'testing.js')).href],
    cjs: [join(dist, 'index.cjs'), join(dist, 'testing.cjs')],
    bundled: ['bundled', 'bundled'],
  }[entry];
  expect([report.entry, report.testingEntry]).toEqual(expectedEntry);
  expect(report.version).toBe(version);
  expect(report.errors).toEqual([]);
  // An invalid call throws a LetterError that `instanceof` recognises.
  expect(report.invalid).toBe('invalid_argument');
  expect(report.requests).toEqual([{ path: '/v1/batch', reply: 200, userAgent: `letterapp-node/${version}` }]);
  const common = { message_id: expect.stringMatching(/^[0-9a-f-]{36}$/), timestamp: expect.stringMatching(ISO_MS), user_id: '42' };
  expect(report.messages).toEqual([
    { type: 'identify', ...common, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } },
    { type: 'group', ...common, account_id: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } },
    { type: 'track', ...common, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } },
  ]);
}

describe('the packed tarball', () => {
  test('holds dist/ and package metadata only, and every file the exports map and bin name', async () => {
    for (const file of packedFiles) expect(file).toMatch(/^(dist\/[^/]+\.(js|cjs|mjs|d\.ts|d\.cts|d\.mts)|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/);
    const manifest = JSON.parse(await readFile(join(work, 'node_modules', 'letterapp', 'package.json'), 'utf8')) as { exports: unknown; bin?: unknown };
    const targets: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(manifest.exports);
    expect(targets.length).toBeGreaterThanOrEqual(9);
    collect(manifest.bin);
    for (const target of targets) expect(packedFiles).toContain(target.replace(/^\.\//, ''));
  });

  describe.concurrent('package linters', () => {
    test('publint reports nothing', { timeout: SLOW }, async () => {
      const result = await run(process.execPath, [PUBLINT, 'run', tarball, '--strict', '--level', 'suggestion'], { cwd: work, timeoutMs: SLOW });
      expect(result.code, describeFailure('publint', result)).toBe(0);
      expect(result.stdout, describeFailure('publint', result)).toContain('All good!');
    });

    test('attw (are the types wrong) reports nothing, node10 included', { timeout: SLOW }, async () => {
      const result = await run(process.execPath, [ATTW, tarball, '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: work, timeoutMs: SLOW });
      expect(result.code, describeFailure('attw', result)).toBe(0);
      expect(result.stdout, describeFailure('attw', result)).toContain('No problems found');
    });
  });
});

describe.concurrent('consumers of the installed tarball', () => {
  test('ESM ("type": "module") imports dist/index.js and delivers', { timeout: SLOW }, async () => {
    expectDelivered(await node(join(work, 'esm', 'main.js')), 'esm');
  });

  test('CommonJS requires dist/index.cjs and delivers', { timeout: SLOW }, async () => {
    expectDelivered(await node(join(work, 'cjs', 'main.js')), 'cjs');
  });

  test('TypeScript node16: type-checks, and its ESM and .cts outputs run', { timeout: SLOW }, async () => {
    await tsc('ts-node16');
    expectDelivered(await node(join(work, 'ts-node16', 'dist', 'main.js')), 'esm');
    expectDelivered(await node(join(work, 'ts-node16', 'dist', 'main-cjs.cjs')), 'cjs');
  });

  test('TypeScript nodenext: type-checks, and its CommonJS and .mts (await using) outputs run', { timeout: SLOW }, async () => {
    await tsc('ts-nodenext');
    expectDelivered(await node(join(work, 'ts-nodenext', 'dist', 'main.js')), 'cjs');
    expectDelivered(await node(join(work, 'ts-nodenext', 'dist', 'main-esm.mjs')), 'esm');
  });

  test('TypeScript bundler: type-checks, esbuild bundles the import entry, the bundle runs', { timeout: SLOW }, async () => {
    await tsc('ts-bundler');
    const project = join(work, 'ts-bundler');
    const outfile = join(project, 'dist', 'main.mjs');
    const { metafile } = await build({
      absWorkingDir: project,
      entryPoints: ['src/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs).filter((input) => input.includes('letterapp'));
    expect(inputs.sort()).toEqual(['../node_modules/letterapp/dist/index.js', '../node_modules/letterapp/dist/testing.js']);
    expectDelivered(await node(outfile), 'bundled');
  });

  test('TypeScript node10 ("module": "commonjs" default resolution): type-checks, runs', { timeout: SLOW }, async () => {
    await tsc('ts-node10');
    expectDelivered(await node(join(work, 'ts-node10', 'dist', 'main.js')), 'cjs');
  });

  test('each @ts-expect-error fails for the reason it states', { timeout: SLOW }, async () => {
    expect(expectedErrors.size).toBeGreaterThanOrEqual(10);
    const report = (await typechecked).get('types-stripped')!;
    expect(report.errors).toBeGreaterThan(0);

    // `file(line,col): error TSnnnn: text`, with chained explanations on indented lines after it.
    const diagnostics = new Map<string, string>();
    let current = '';
    for (const line of report.diagnostics.split('\n')) {
      const head = /^types-stripped\/(stripped\.m?ts)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
      if (head) {
        current = `${head[1]}:${head[2]}`;
        diagnostics.set(current, `${diagnostics.get(current) ?? ''}${head[3]}\n`);
      } else if (current && /^\s/.test(line)) {
        diagnostics.set(current, `${diagnostics.get(current)}${line.trim()}\n`);
      } else if (line.trim()) {
        throw new Error(`unexpected tsc output line: ${line}\n${report.diagnostics}`);
      }
    }
    for (const file of ['stripped.ts', 'stripped.mts']) {
      const lines = [...diagnostics.keys()].filter((key) => key.startsWith(`${file}:`)).map((key) => Number(key.split(':')[1]));
      expect(lines.sort((a, b) => a - b), `${file}: lines with errors`).toEqual([...expectedErrors.keys()].sort((a, b) => a - b));
      for (const [line, text] of expectedErrors) expect(diagnostics.get(`${file}:${line}`), `${file}:${line}`).toContain(text);
    }
  });

  test('TypeScript as `tsc --init` sets it up (exactOptionalPropertyTypes): the Quick start, undefined and null fields, typed plans', { timeout: SLOW }, async () => {
    await tsc('ts-init');
  });

  test('…and the same under TypeScript 7, what `npm install typescript` gets today', { timeout: SLOW }, async () => {
    const result = await tscNative('ts-init');
    expect(result.version).toMatch(/^7\./);
    expect(result.code, describeFailure(`tsc ${result.version} -p ts-init`, result)).toBe(0);
  });

  test('a misspelt event of a typed plan is an error naming it and the plan\'s events, under TypeScript 5.9 and 7', { timeout: SLOW }, async () => {
    const native = await tscNative('ts-init/misspelt');
    for (const [compiler, output] of [['5.9', (await typechecked).get('ts-init/misspelt')!.diagnostics], [native.version, native.stdout]] as const) {
      const errors = output.split('\n').filter((line) => /: error TS\d+:/.test(line));
      expect(errors, `TypeScript ${compiler}:\n${output}`).toHaveLength(1);
      // `Type '"Sgined Up"' is not assignable to type '"Signed Up" | "Order Completed"'. Did you mean '"Signed Up"'?`
      // (TypeScript 7 lists the union's members in another order).
      expect(errors[0], `TypeScript ${compiler}`).toMatch(/^ts-init\/misspelt\/misspelt-event\.ts\(12,\d+\): error TS\d+: Type '"Sgined Up"' is not assignable to type '"(Signed Up|Order Completed)" \| "(Signed Up|Order Completed)"'/);
      expect(errors[0], `TypeScript ${compiler}`).toContain(`Did you mean '"Signed Up"'?`);
    }
  });
});
