/**
 * Butterworth IIR design in second-order sections, the same filter as
 * scipy.signal.butter(order, cutoff, btype, fs=fs, output='sos'): analog prototype poles,
 * frequency transform with pre-warped corners, bilinear transform, then poles and zeros
 * grouped into real biquads. Section pairing follows scipy's "nearest" idea (each pole pair
 * takes the zeros closest to it); any valid pairing gives the same filter up to rounding.
 */
import { MedLabError } from '../../errors';
import * as C from './complex';
import type { Complex } from './complex';

export type FilterKind = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

/** Rows of [b0, b1, b2, 1, a1, a2]; a signal passes the rows in order. */
export type Sos = Float64Array[];

interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Analog Butterworth prototype of order n: poles on the left unit half circle, no zeros. */
function prototype(n: number): Zpk {
  const p: Complex[] = [];
  for (let m = -n + 1; m < n; m += 2) {
    const theta = (Math.PI * m) / (2 * n);
    p.push(C.scale(C.c(Math.cos(theta), Math.sin(theta)), -1));
  }
  return { z: [], p, k: 1 };
}

function gainRatio(z: Complex[], p: Complex[]): number {
  return C.div(C.product(z.map((v) => C.scale(v, -1))), C.product(p.map((v) => C.scale(v, -1)))).re;
}

/** Both square roots s ± √(s² − wo²) of each prototype root s, as scipy's lp2bp/lp2bs. */
function splitRoots(roots: Complex[], wo: number): Complex[] {
  const plus: Complex[] = [];
  const minus: Complex[] = [];
  for (const s of roots) {
    const r = C.sqrt(C.sub(C.mul(s, s), C.c(wo * wo)));
    plus.push(C.add(s, r));
    minus.push(C.sub(s, r));
  }
  return [...plus, ...minus];
}

function transform(proto: Zpk, kind: FilterKind, warped: number[]): Zpk {
  const { z, p, k } = proto;
  const degree = p.length - z.length;
  switch (kind) {
    case 'lowpass': {
      const wo = warped[0];
      return { z: z.map((v) => C.scale(v, wo)), p: p.map((v) => C.scale(v, wo)), k: k * wo ** degree };
    }
    case 'highpass': {
      const wo = warped[0];
      const inv = (v: Complex) => C.div(C.c(wo), v);
      return {
        z: [...z.map(inv), ...Array.from({ length: degree }, () => C.c(0))],
        p: p.map(inv),
        k: k * gainRatio(z, p),
      };
    }
    case 'bandpass': {
      const bw = warped[1] - warped[0];
      const wo = Math.sqrt(warped[0] * warped[1]);
      return {
        z: [
          ...splitRoots(
            z.map((v) => C.scale(v, bw / 2)),
            wo,
          ),
          ...Array.from({ length: degree }, () => C.c(0)),
        ],
        p: splitRoots(
          p.map((v) => C.scale(v, bw / 2)),
          wo,
        ),
        k: k * bw ** degree,
      };
    }
    case 'bandstop': {
      const bw = warped[1] - warped[0];
      const wo = Math.sqrt(warped[0] * warped[1]);
      const inv = (v: Complex) => C.div(C.c(bw / 2), v);
      return {
        z: [
          ...splitRoots(z.map(inv), wo),
          ...Array.from({ length: degree }, () => C.c(0, wo)),
          ...Array.from({ length: degree }, () => C.c(0, -wo)),
        ],
        p: splitRoots(p.map(inv), wo),
        k: k * gainRatio(z, p),
      };
    }
  }
}

/** Bilinear transform with fs = 2 (corners were pre-warped for it); excess zeros go to z = −1. */
function bilinear(a: Zpk): Zpk {
  const fs2 = C.c(4);
  const map = (v: Complex) => C.div(C.add(fs2, v), C.sub(fs2, v));
  const degree = a.p.length - a.z.length;
  return {
    z: [...a.z.map(map), ...Array.from({ length: degree }, () => C.c(-1))],
    p: a.p.map(map),
    k: a.k * C.div(C.product(a.z.map((v) => C.sub(fs2, v))), C.product(a.p.map((v) => C.sub(fs2, v)))).re,
  };
}

const IMAG_TOL = 1e-12;

/** Splits roots into conjugate pairs (one representative with im > 0) and real roots. */
function groupRoots(roots: Complex[]): { pairs: Complex[]; reals: number[] } {
  const pairs: Complex[] = [];
  const reals: number[] = [];
  for (const r of roots) {
    if (Math.abs(r.im) <= IMAG_TOL * Math.max(1, C.abs(r))) reals.push(r.re);
    else if (r.im > 0) pairs.push(r);
  }
  return { pairs, reals };
}

/** Groups zpk into biquads: pole groups in order of distance to the unit circle, nearest zeros. */
function toSos(d: Zpk): Sos {
  const poles = groupRoots(d.p);
  const zeros = groupRoots(d.z);
  type Group = Complex[];
  const poleGroups: Group[] = poles.pairs.map((p) => [p, C.conj(p)]);
  const realPoles = [...poles.reals].sort((a, b) => Math.abs(b) - Math.abs(a));
  for (let i = 0; i < realPoles.length; i += 2) {
    poleGroups.push(realPoles.slice(i, i + 2).map((v) => C.c(v)));
  }
  // Farthest from the unit circle first, as scipy orders its sections.
  poleGroups.sort((a, b) => Math.abs(1 - C.abs(b[0])) - Math.abs(1 - C.abs(a[0])));

  const zeroPairs = zeros.pairs.map((z) => [z, C.conj(z)]);
  const realZeros = [...zeros.reals];
  const sections: Sos = [];
  for (let g = poleGroups.length - 1; g >= 0; g--) {
    // Nearest-first assignment, starting with the pole group closest to the unit circle.
    const group = poleGroups[g];
    const ref = group[0];
    const wanted = group.length;
    let chosen: Complex[] = [];
    if (wanted === 2 && zeroPairs.length) {
      let best = 0;
      for (let i = 1; i < zeroPairs.length; i++) {
        if (C.abs(C.sub(zeroPairs[i][0], ref)) < C.abs(C.sub(zeroPairs[best][0], ref))) best = i;
      }
      chosen = zeroPairs.splice(best, 1)[0];
    } else {
      while (chosen.length < wanted && realZeros.length) {
        let best = 0;
        for (let i = 1; i < realZeros.length; i++) {
          if (Math.abs(realZeros[i] - ref.re) < Math.abs(realZeros[best] - ref.re)) best = i;
        }
        chosen.push(C.c(realZeros.splice(best, 1)[0]));
      }
    }
    sections.unshift(biquad(chosen, group));
  }
  if (zeroPairs.length || realZeros.length) {
    throw new MedLabError('E_DSP', 'filter design left zeros without poles (more zeros than poles)');
  }
  for (let i = 0; i < 3; i++) sections[0][i] *= d.k;
  return sections;
}

/** [b0, b1, b2, 1, a1, a2] from up to two zeros and two poles (a conjugate pair or reals). */
function biquad(zeros: Complex[], poles: Complex[]): Float64Array {
  const poly = (r: Complex[]): [number, number, number] => {
    if (r.length === 0) return [1, 0, 0];
    if (r.length === 1) return [1, -r[0].re, 0];
    return [1, -(r[0].re + r[1].re), C.mul(r[0], r[1]).re];
  };
  return Float64Array.from([...poly(zeros), ...poly(poles)]);
}

/**
 * Butterworth filter of `order` (1..20) at `cutoff` Hz (one corner for low/high-pass,
 * [low, high] for band-pass/stop), for sample rate `fs` Hz. Corners must lie in (0, fs/2).
 */
export function butterworth(
  order: number,
  cutoff: number | readonly number[],
  kind: FilterKind,
  fs: number,
): Sos {
  if (!Number.isInteger(order) || order < 1 || order > 20) {
    throw new MedLabError('E_DSP', `Butterworth order must be an integer 1..20, got ${order}`);
  }
  const corners = typeof cutoff === 'number' ? [cutoff] : [...cutoff];
  const expected = kind === 'lowpass' || kind === 'highpass' ? 1 : 2;
  if (corners.length !== expected) {
    throw new MedLabError(
      'E_DSP',
      `${kind} needs ${expected} corner frequenc${expected === 1 ? 'y' : 'ies'}`,
    );
  }
  for (const f of corners) {
    if (!(f > 0 && f < fs / 2)) {
      throw new MedLabError(
        'E_DSP',
        `${kind} corner ${f} Hz must lie between 0 and the Nyquist frequency ${fs / 2} Hz`,
      );
    }
  }
  if (expected === 2 && !(corners[0] < corners[1])) {
    throw new MedLabError('E_DSP', `${kind} corners must be increasing, got ${corners[0]}..${corners[1]} Hz`);
  }
  // Normalised to Nyquist, then pre-warped for the bilinear transform with fs = 2.
  const warped = corners.map((f) => 4 * Math.tan((Math.PI * (2 * f)) / fs / 2));
  return toSos(bilinear(transform(prototype(order), kind, warped)));
}
