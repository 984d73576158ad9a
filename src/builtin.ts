/** Loads a module id synchronously, as `require` does. */
type LoadSync = (id: string) => unknown;

/** The process global where there is one (Workers without `nodejs_compat` have none). */
type Host = { versions?: { node?: string }; getBuiltinModule?: LoadSync } | undefined;

/**
 * How this runtime loads a built-in synchronously: decided when this module is evaluated, and
 * settled a few ticks later on the ES module build on old Node (see findLoader).
 */
let loadSync: LoadSync | undefined = findLoader();

/**
 * A Node built-in module, loaded synchronously on first use and never by a static import, or
 * undefined where this runtime has none to give (yet); callers must cope with undefined. A static
 * import of a built-in costs about a millisecond of start-up in an ES module, and it stops the
 * main entry from loading at all where there are no `node:` modules: Cloudflare Workers without
 * `nodejs_compat`, Vercel's Edge runtime.
 */
export function loadBuiltin<Module>(id: string): Module | undefined {
  try {
    return loadSync?.(id) as Module | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first way in that exists: `process.getBuiltinModule` (Node 20.16+, Bun, Deno); else, on
 * older Node, `require` (the CommonJS build); else, on older Node running the ES module build,
 * `createRequire` from node:module, which only a dynamic import can reach there. A top-level await
 * for it would stop bundlers from turning the package into CommonJS (a Lambda bundle), so it
 * settles a few ticks after this module is evaluated and calls made in that same tick go without
 * it (see uuid.ts). Its specifier is not a literal so that bundlers targeting the edge leave it
 * alone. Outside Node there is nothing to load.
 */
function findLoader(): LoadSync | undefined {
  const host = globalThis.process as Host;
  const getBuiltinModule = host?.getBuiltinModule;
  if (typeof getBuiltinModule === 'function') return (id) => getBuiltinModule.call(host, id);
  if (typeof host?.versions?.node !== 'string') return undefined;
  try {
    // The ES module build's bundler helper stands in for `require` here and throws.
    require('node:module');
    return require;
  } catch {
    const specifier = 'node:module';
    import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
      (nodeModule: typeof import('node:module')) => {
        // A built-in resolves the same from any base path.
        loadSync = nodeModule.createRequire('/');
      },
      () => {},
    );
    return undefined;
  }
}
