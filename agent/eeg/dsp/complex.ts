/** Complex numbers for filter design (poles and zeros); plain objects, float64. */
export interface Complex {
  re: number;
  im: number;
}

export const c = (re: number, im = 0): Complex => ({ re, im });
export const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
export const sub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
export const mul = (a: Complex, b: Complex): Complex =>
  c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export const scale = (a: Complex, s: number): Complex => c(a.re * s, a.im * s);
export const conj = (a: Complex): Complex => c(a.re, -a.im);
export const abs = (a: Complex): number => Math.hypot(a.re, a.im);

export function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

/** Principal square root (branch cut on the negative real axis, as numpy). */
export function sqrt(a: Complex): Complex {
  const r = abs(a);
  if (r === 0) return c(0, 0);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return c(re, a.im < 0 ? -im : im);
}

export function product(values: readonly Complex[]): Complex {
  let p = c(1, 0);
  for (const v of values) p = mul(p, v);
  return p;
}
