/**
 * Seeded pseudo-random numbers for reproducible bootstrap intervals: the same seed gives the same
 * resamples on every machine, so a published CI can be recomputed exactly. mulberry32 (Tommy
 * Ettinger): 32-bit state, period 2^32, passes gjrand/PractRand at the sizes a bootstrap draws.
 * test/fixtures/make_study_reference.py re-implements it to check the bootstrap against sklearn.
 */

/** Returns a generator of uniform numbers in [0, 1) (multiples of 2^-32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
