/** The chi-square distribution with k degrees of freedom (McNemar and other count tests). */
import { regularizedGammaP, regularizedGammaQ } from './gamma';

/** P(X <= x) for X ~ χ²(k). */
export function chiSquareCdf(x: number, k: number): number {
  if (!(k > 0)) return NaN;
  if (x <= 0) return 0;
  return regularizedGammaP(k / 2, x / 2);
}

/** P(X > x) for X ~ χ²(k): the p-value of a chi-square statistic. */
export function chiSquareSf(x: number, k: number): number {
  if (!(k > 0)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(k / 2, x / 2);
}
