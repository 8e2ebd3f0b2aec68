/**
 * Wilson score interval for a binomial proportion (Wilson 1927; recommended over the Wald
 * interval by Newcombe 1998 and Brown, Cai & DasGupta 2001): it stays inside [0, 1] and keeps
 * near-nominal coverage at small n and at proportions near 0 or 1, where Wald fails.
 */
import { zForConfidence } from './normal';

/** [low, high] for `successes` out of `n` at the given confidence; null when n = 0. */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] | null {
  if (!(n > 0) || successes < 0 || successes > n) return null;
  const z = zForConfidence(confidence);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At 0 or n successes one end is exactly 0 or 1; clamp away rounding dust.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === n ? 1 : Math.min(1, centre + half);
  return [low, high];
}
