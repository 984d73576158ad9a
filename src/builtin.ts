import { createRequire } from 'node:module';

/**
 * A Node built-in module, loaded synchronously on first use instead of by a static import: in an
 * ES module each static built-in import costs about a millisecond of start-up, paid by every
 * process that imports the SDK whether or not it needs the module. `process.getBuiltinModule`
 * (Node 20.16+) is the direct way; createRequire covers older Node (node:module itself is already
 * loaded by Node's bootstrap, and a built-in resolves the same from any base path).
 */
export function loadBuiltin<Module>(id: string): Module {
  const host = typeof process === 'undefined' ? undefined : (process as { getBuiltinModule?: (id: string) => unknown });
  return (host?.getBuiltinModule ? host.getBuiltinModule(id) : createRequire('/')(id)) as Module;
}
