/**
 * Pure geometry of the trace plot: decimated min/max columns (or raw samples) -> polyline points
 * in device pixels, amplitude scales from µV/mm, row layout and time ticks. No DOM, no allocation
 * in the per-frame path (callers pass reusable buffers), so it runs and is timed in Node too.
 */

/** CSS pixels per millimetre (CSS defines 96 px per inch). */
export const CSS_PX_PER_MM = 96 / 25.4;

/** Factor from a channel's unit to µV; undefined when the unit is not a voltage. */
export function microvoltsPer(unit: string): number | undefined {
  const u = unit.trim();
  if (/^(u|µ|μ)v$/i.test(u)) return 1;
  if (/^mv$/i.test(u)) return 1e3;
  if (/^nv$/i.test(u)) return 1e-3;
  if (/^v$/i.test(u)) return 1e6;
  return undefined;
}

export interface PlotRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Vertical centre of channel row `i` of `rows`. */
export function rowCenter(rect: PlotRect, rows: number, i: number): number {
  return rect.y + ((i + 0.5) * rect.height) / rows;
}

export interface ChannelScale {
  /** Device pixels per unit of the channel's data (sign included: negative = up is positive). */
  pxPerUnit: number;
  /** Subtracted before scaling (the page's mean level, so offsets do not push traces off-row). */
  offset: number;
}

/** Mean of the column midpoints, ignoring NaN (gaps). */
export function pageLevel(min: Float32Array, max: Float32Array | undefined): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < min.length; i++) {
    const v = max ? (min[i] + max[i]) * 0.5 : min[i];
    if (v === v) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : 0;
}

function pageRange(min: Float32Array, max: Float32Array | undefined): number {
  let lo = Infinity;
  let hi = -Infinity;
  const top = max ?? min;
  for (let i = 0; i < min.length; i++) {
    if (min[i] < lo) lo = min[i];
    if (top[i] > hi) hi = top[i];
  }
  return hi > lo ? hi - lo : 0;
}

export interface ScaleInputs {
  unit: string;
  /** Display sensitivity in µV per mm. */
  microvoltsPerMm: number;
  devicePixelRatio: number;
  /** Clinical convention: negative deflection drawn upwards. */
  negativeUp: boolean;
  /** Row height in device pixels (for channels that are not voltages: fitted to the row). */
  rowHeight: number;
}

export function channelScale(min: Float32Array, max: Float32Array | undefined, s: ScaleInputs): ChannelScale {
  const sign = s.negativeUp ? 1 : -1; // canvas y grows downwards
  const offset = pageLevel(min, max);
  const factor = microvoltsPer(s.unit);
  if (factor !== undefined) {
    return { pxPerUnit: (sign * factor * CSS_PX_PER_MM * s.devicePixelRatio) / s.microvoltsPerMm, offset };
  }
  const range = pageRange(min, max);
  return { pxPerUnit: range > 0 ? (sign * 0.8 * s.rowHeight) / range : 0, offset };
}

/**
 * Writes one channel's polyline into `out` as (x, y) pairs and returns the number of floats
 * written. A decimated page gives two points per column (its min and max at the column centre);
 * raw samples give one point each. NaN (a gap) is written as a pen-up pair (NaN, NaN).
 * y is clamped to [yMin, yMax] so a wild channel cannot produce huge coordinates.
 */
export function tracePoints(
  min: Float32Array,
  max: Float32Array | undefined,
  x0: number,
  width: number,
  baseline: number,
  scale: ChannelScale,
  yMin: number,
  yMax: number,
  out: Float32Array,
): number {
  const n = min.length;
  const step = n > 0 ? width / n : 0;
  const k = scale.pxPerUnit;
  const c = scale.offset;
  let w = 0;
  let x = x0 + step * 0.5;
  for (let i = 0; i < n; i++, x += step) {
    const a = min[i];
    if (a !== a) {
      out[w++] = NaN;
      out[w++] = NaN;
      continue;
    }
    let y = baseline + (a - c) * k;
    out[w++] = x;
    out[w++] = y < yMin ? yMin : y > yMax ? yMax : y;
    if (max) {
      y = baseline + (max[i] - c) * k;
      out[w++] = x;
      out[w++] = y < yMin ? yMin : y > yMax ? yMax : y;
    }
  }
  return w;
}

/** Buffer size tracePoints needs for a channel. */
export function pointsCapacity(columns: number, decimated: boolean): number {
  return columns * (decimated ? 4 : 2);
}

export interface Tick {
  /** Seconds from the recording start. */
  time: number;
  major: boolean;
}

/** Grid lines for a page: a major line each second (each 5 s on long pages), minor in between. */
export function timeTicks(start: number, duration: number): Tick[] {
  const major = duration > 30 ? 5 : 1;
  const minor = duration <= 3 ? 0.2 : duration <= 10 ? 0.5 : duration > 30 ? 1 : 0;
  const ticks: Tick[] = [];
  const step = minor || major;
  const first = Math.ceil(start / step - 1e-9) * step;
  for (let t = first; t <= start + duration + 1e-9; t += step) {
    const rounded = Math.round(t * 1000) / 1000;
    const isMajor = Math.abs(rounded / major - Math.round(rounded / major)) < 1e-6;
    if (isMajor || minor) ticks.push({ time: rounded, major: isMajor });
  }
  return ticks;
}

/** "hh:mm:ss" (or "mm:ss.s" under a minute) of seconds from the start. */
export function formatClock(seconds: number, withFraction = false): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const secText = withFraction ? sec.toFixed(1).padStart(4, '0') : String(Math.floor(sec)).padStart(2, '0');
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${secText}`;
}

/** x (device px) of a time inside the page. */
export function timeToX(t: number, start: number, duration: number, rect: PlotRect): number {
  return rect.x + ((t - start) / duration) * rect.width;
}

/** Time of an x (device px) inside the page. */
export function xToTime(x: number, start: number, duration: number, rect: PlotRect): number {
  return start + ((x - rect.x) / rect.width) * duration;
}
