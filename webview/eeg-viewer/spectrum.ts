/**
 * The spectrum plot of the visible page: log10 power spectral density against frequency, one
 * line per channel. Geometry is pure; drawing uses the same Canvas2D subset as the traces.
 */
import type { Canvas2D } from './draw';
import type { PlotRect } from './geometry';

export interface SpectrumScale {
  fmax: number;
  /** log10 PSD range shown. */
  logMin: number;
  logMax: number;
}

export function spectrumScale(
  freqs: Float32Array,
  psds: readonly Float32Array[],
  fmaxWanted: number,
): SpectrumScale {
  const fmax = Math.min(fmaxWanted, freqs.length ? freqs[freqs.length - 1] : fmaxWanted);
  let lo = Infinity;
  let hi = -Infinity;
  for (const psd of psds) {
    for (let i = 0; i < freqs.length && freqs[i] <= fmax; i++) {
      if (freqs[i] < 0.5 || !(psd[i] > 0)) continue;
      const v = Math.log10(psd[i]);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) return { fmax, logMin: -1, logMax: 1 };
  if (hi - lo < 1) lo = hi - 1;
  return { fmax, logMin: Math.floor(lo), logMax: Math.ceil(hi) };
}

/** Polyline (x, y pairs) of one PSD; bins with no power are skipped. */
export function spectrumPoints(
  freqs: Float32Array,
  psd: Float32Array,
  scale: SpectrumScale,
  rect: PlotRect,
): Float32Array {
  const out: number[] = [];
  const span = scale.logMax - scale.logMin;
  for (let i = 0; i < freqs.length && freqs[i] <= scale.fmax; i++) {
    if (!(psd[i] > 0)) continue;
    const x = rect.x + (freqs[i] / scale.fmax) * rect.width;
    const y = rect.y + rect.height - ((Math.log10(psd[i]) - scale.logMin) / span) * rect.height;
    out.push(x, Math.min(rect.y + rect.height, Math.max(rect.y, y)));
  }
  return Float32Array.from(out);
}

export interface SpectrumTheme {
  background: string;
  foreground: string;
  grid: string;
  line: string;
  font: string;
}

export function drawSpectrum(
  ctx: Canvas2D,
  size: { width: number; height: number; dpr: number },
  freqs: Float32Array,
  psds: readonly Float32Array[],
  unit: string,
  theme: SpectrumTheme,
): void {
  const { width, height, dpr } = size;
  const rect: PlotRect = { x: 44 * dpr, y: 8 * dpr, width: width - 52 * dpr, height: height - 30 * dpr };
  const scale = spectrumScale(freqs, psds, 60);
  ctx.save();
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = theme.font;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.foreground;
  ctx.beginPath();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let f = 0; f <= scale.fmax + 1e-9; f += 10) {
    const x = rect.x + (f / scale.fmax) * rect.width;
    ctx.moveTo(x, rect.y);
    ctx.lineTo(x, rect.y + rect.height);
    ctx.fillText(`${f}`, x, rect.y + rect.height + 3 * dpr);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let d = scale.logMin; d <= scale.logMax; d++) {
    const y = rect.y + rect.height - ((d - scale.logMin) / (scale.logMax - scale.logMin)) * rect.height;
    ctx.moveTo(rect.x, y);
    ctx.lineTo(rect.x + rect.width, y);
    ctx.fillText(`1e${d}`, rect.x - 4 * dpr, y);
  }
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`Hz · PSD ${unit}²/Hz`, rect.x + 4 * dpr, rect.y + rect.height - 2 * dpr);
  ctx.strokeStyle = theme.line;
  ctx.lineWidth = dpr;
  ctx.globalAlpha = psds.length > 1 ? 0.6 : 1;
  for (const psd of psds) {
    const pts = spectrumPoints(freqs, psd, scale, rect);
    ctx.beginPath();
    for (let k = 0; k < pts.length; k += 2) {
      if (k === 0) ctx.moveTo(pts[k], pts[k + 1]);
      else ctx.lineTo(pts[k], pts[k + 1]);
    }
    ctx.stroke();
  }
  ctx.restore();
}
