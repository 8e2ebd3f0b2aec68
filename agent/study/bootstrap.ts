/**
 * Stratified percentile bootstrap (Efron & Tibshirani 1993, ch. 13). Cases are resampled with
 * replacement within each true class, so every replicate keeps the class counts of the data (a
 * replicate never loses the rare class). The interval is the (α/2, 1-α/2) percentiles of the
 * replicate values, linear interpolation between order statistics (numpy's default).
 */
import { mulberry32 } from './prng';

export interface BootstrapPlan {
  replicates: number;
  seed: number;
}

/**
 * Draws `replicates` resamples. `strata` lists the case indices of each stratum; the callback gets
 * the multiplicity of every case (length `caseCount`) and returns the statistic, or null when it is
 * undefined on that resample. Draw order (replicate, stratum, draw) is part of the contract: the
 * Python reference generator follows it.
 */
export function stratifiedBootstrap<T>(
  strata: readonly (readonly number[])[],
  caseCount: number,
  plan: BootstrapPlan,
  statistic: (weights: Uint32Array) => T,
): T[] {
  const random = mulberry32(plan.seed);
  const weights = new Uint32Array(caseCount);
  const out: T[] = [];
  for (let b = 0; b < plan.replicates; b++) {
    weights.fill(0);
    for (const members of strata) {
      const m = members.length;
      for (let j = 0; j < m; j++) weights[members[Math.floor(random() * m)]]++;
    }
    out.push(statistic(weights));
  }
  return out;
}

/** The q-quantile (0..1) of sorted values, numpy 'linear' (type 7) interpolation. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface PercentileInterval {
  ci: [number, number] | null;
  /** Replicates on which the statistic was defined. */
  used: number;
}

/** Percentile interval of the defined replicate values (null ones are left out and counted). */
export function percentileInterval(
  values: readonly (number | null)[],
  confidence: number,
): PercentileInterval {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (defined.length === 0) return { ci: null, used: 0 };
  const alpha = 1 - confidence;
  return {
    ci: [quantileSorted(defined, alpha / 2), quantileSorted(defined, 1 - alpha / 2)],
    used: defined.length,
  };
}
