#!/usr/bin/env node
// `tsc -p <tsconfig>` for each consumer fixture, in one process, with two differences:
// - of the declaration files, only letterapp's own are type-checked (as with skipLibCheck: false),
//   not @types/node and TypeScript's lib files (as with skipLibCheck: true): checking @types/node
//   costs ~10 s of CPU per project and says nothing about letterapp;
// - those unchanging lib and @types declaration files are parsed and bound once and shared by all
//   the projects' programs (as TypeScript's language service shares them), which makes five
//   projects cost little more than one.
//
//   node test/consumers/typecheck.mjs a/tsconfig.json b/tsconfig.json ...
//
// Prints one JSON line per project, {"config", "errors", "diagnostics"} with the diagnostics as
// `tsc --pretty false` prints them; emits each project unless noEmit. Exits 1 if any had errors.

import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');
const configs = process.argv.slice(2);
if (configs.length === 0) {
  console.error('usage: typecheck.mjs <tsconfig.json>...');
  process.exit(2);
}

const formatHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: ts.sys.getCurrentDirectory,
  getNewLine: () => '\n',
};

/** Declaration files that never change and whose parse does not depend on the project's options. */
const SHAREABLE = /[\\/]node_modules[\\/](typescript[\\/]lib|@types|undici-types)[\\/][^]*\.d\.ts$/;
const shared = new Map();

function check(configPath) {
  let fatal;
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => (fatal = diagnostic),
  });
  if (!parsed) return [fatal];
  const options = { ...parsed.options, skipLibCheck: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!SHAREABLE.test(fileName)) return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    const settings = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}\0${settings.languageVersion}\0${settings.impliedNodeFormat}\0${settings.jsDocParsingMode}`;
    if (!shared.has(key)) shared.set(key, getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate));
    return shared.get(key);
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options,
    host,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const checked = (sourceFile) => !sourceFile.isDeclarationFile || /[\\/]node_modules[\\/]letterapp[\\/]/.test(sourceFile.fileName);
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSourceFiles().filter(checked).flatMap((sourceFile) => program.getSemanticDiagnostics(sourceFile)),
  ];
  if (!program.getSourceFiles().some((sourceFile) => sourceFile.isDeclarationFile && checked(sourceFile))) {
    throw new Error(`${configPath}: no declaration file of letterapp was part of the program`);
  }
  if (diagnostics.length > 0 || parsed.options.noEmit) return diagnostics;
  // File by file: emit() for the whole program would first check every file, @types/node included.
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
    diagnostics.push(...program.emit(sourceFile).diagnostics);
  }
  return diagnostics;
}

let failed = false;
for (const config of configs) {
  const diagnostics = check(config);
  const errors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error).length;
  failed ||= errors > 0;
  process.stdout.write(`${JSON.stringify({ config, errors, diagnostics: ts.formatDiagnostics(diagnostics, formatHost) })}\n`);
}
process.exitCode = failed ? 1 : 0;
