/**
 * Window functions, as scipy.signal.get_window builds them.
 * `periodic` (scipy's fftbins=True, the spectral-analysis default) drops the last point of an
 * (N+1)-point symmetric window; symmetric windows are for FIR design.
 */

/** Hann: w[n] = 0.5 − 0.5·cos(2πn/M), M = N (periodic) or N−1 (symmetric). */
export function hann(n: number, periodic = true): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  const m = periodic ? n : n - 1;
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / m);
  return w;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser: w[n] = I0(β·√(1 − (2n/M − 1)²)) / I0(β), M = N (periodic) or N−1 (symmetric). */
export function kaiser(n: number, beta: number, periodic = false): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  const m = periodic ? n : n - 1;
  const denom = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = (2 * i) / m - 1;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}
