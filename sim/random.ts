/** Seeded randomness, so that a run with the same flags gives the same numbers. */

/** A uniform source in [0, 1) from a 32-bit seed (mulberry32: tiny, fast, good enough for jitter). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The gap before the next event of a Poisson process with `ratePerS` events per second, in ms. */
export function exponentialGapMs(ratePerS: number, random: () => number): number {
  return (-Math.log(1 - random()) / ratePerS) * 1000;
}

/** A log-normal draw with the given median, in ms; `sigma` sets the tail (0.5: p99 is 3.2× the median). */
export function logNormalMs(medianMs: number, sigma: number, random: () => number): number {
  // Box-Muller: one standard normal draw from two uniforms.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return medianMs * Math.exp(sigma * normal);
}
