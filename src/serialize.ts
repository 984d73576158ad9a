import { describeThrown } from './describe.js';
import { invalidArgument, type LetterError } from './errors.js';

/** How deep the diagnosis walks; JSON.stringify itself fails on nesting some thousands deep (a stack overflow). */
const MAX_WALK_DEPTH = 1000;

/**
 * JSON.stringify of a call's traits or properties, but a failure becomes a LetterError naming the
 * offending path (`properties.total is a BigInt and cannot be serialized`). The happy path is one
 * plain stringify; the walk below runs only after it failed.
 */
export function stringifyObject(value: object, field: string): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw findProblem(value, field, field, 0, new Set()) ?? invalidArgument(`${field} cannot be serialized as JSON: ${describeThrown(error)}`);
  }
}

/** The first reason `value` cannot be serialized, named by its path under the call's `field`. */
function findProblem(
  value: unknown,
  field: string,
  path: string,
  depth: number,
  ancestors: Set<object>,
): LetterError | undefined {
  if (typeof value === 'bigint') return invalidArgument(`${path} is a BigInt and cannot be serialized`);
  if (typeof value !== 'object' || value === null) return undefined;
  // The path itself would be thousands of segments long, so this names the call's field instead.
  if (depth > MAX_WALK_DEPTH) return invalidArgument(`${field} is nested too deeply to serialize`);
  if (ancestors.has(value)) return invalidArgument(`${path} is a circular reference`);
  const toJSON = readSafely(value, 'toJSON');
  if (toJSON.error) return invalidArgument(`${path}.toJSON threw when read: ${toJSON.error}`);
  if (typeof toJSON.value === 'function') {
    let converted: unknown;
    try {
      converted = (toJSON.value as () => unknown).call(value);
    } catch (error) {
      return invalidArgument(`${path}.toJSON() threw: ${describeThrown(error)}`);
    }
    if (converted !== value) return findProblem(converted, field, path, depth, ancestors);
  }
  ancestors.add(value);
  try {
    const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
    for (const key of keys) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : joinPath(path, String(key));
      const child = readSafely(value, key);
      if (child.error) return invalidArgument(`${childPath} threw when read: ${child.error}`);
      const problem = findProblem(child.value, field, childPath, depth + 1, ancestors);
      if (problem) return problem;
    }
  } finally {
    ancestors.delete(value);
  }
  return undefined;
}

function readSafely(target: object, key: PropertyKey): { value?: unknown; error?: string } {
  try {
    return { value: (target as Record<PropertyKey, unknown>)[key] };
  } catch (error) {
    return { error: describeThrown(error) };
  }
}

function joinPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

