/**
 * Log-gamma and the regularized incomplete gamma functions P(a, x) and Q(a, x). They are the core
 * of every tail probability MedLab reports: the chi-square CDF is P(k/2, x/2) and erf(x) is
 * P(1/2, x²). Accuracy is about 1e-14 relative (checked against scipy in test/study).
 */

/** Stirling-series coefficients B(2k) / (2k (2k-1)) for k = 1..7 (Bernoulli numbers). */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];
const LN_SQRT_2PI = 0.9189385332046728;
/** From here up the Stirling series truncated after x^-13 is exact to double precision. */
const STIRLING_FROM = 15;

/**
 * ln Γ(x) for x > 0: Stirling's series at y >= 15, reached by the recurrence
 * Γ(x) = Γ(x + n) / (x (x+1) ... (x+n-1)); reflection formula below 0.5.
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return x === 0 ? Infinity : NaN;
  if (x < 0.5) {
    // Γ(x)Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  let y = x;
  let product = 1;
  while (y < STIRLING_FROM) {
    product *= y;
    y += 1;
  }
  const inv = 1 / y;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k];
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + series * inv - Math.log(product);
}

const EPS = 1e-16;
const MAX_ITER = 10000;
const TINY = 1e-300;

/** Series for P(a, x): converges quickly for x < a + 1. */
function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** Continued fraction for Q(a, x) (modified Lentz): converges quickly for x >= a + 1. */
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x >= 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaPSeries(a, x) : 1 - gammaQContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}
