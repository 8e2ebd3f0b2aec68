/** The binomial distribution, in log space so that n in the thousands neither underflows nor overflows. */
import { lnGamma } from './gamma';

/** ln C(n, k). */
export function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/** P(X = k) for X ~ Bin(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(lnChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X <= k) for X ~ Bin(n, p), summed from the smaller tail to keep precision. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const kk = Math.floor(k);
  const mean = n * p;
  if (kk < mean) {
    let s = 0;
    for (let i = 0; i <= kk; i++) s += binomialPmf(i, n, p);
    return Math.min(1, s);
  }
  let upper = 0;
  for (let i = kk + 1; i <= n; i++) upper += binomialPmf(i, n, p);
  return Math.max(0, 1 - upper);
}
