/** Suggestions for misspelt names, shared by the constructor's options and the CLI's flags. */

/** The known name closest to a misspelt one (`flush_at` → `flushAt`), when one is close enough. */
export function closestName(input: string, names: readonly string[]): string | undefined {
  const normalize = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const distance = editDistance(normalize(input), normalize(name));
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  // Close enough: a few edits, fewer for short names, and never a rewrite of the whole input.
  const allowed = Math.max(2, Math.ceil(input.length / 3));
  return bestDistance <= allowed && bestDistance < normalize(input).length ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
