/**
 * The track under the traces with a model's per-window output (e.g. seizure probability) for the
 * visible page, with detected events shaded and the 0.5 line. Pure geometry plus canvas calls.
 */
import type { EegPrediction } from '../../agent/protocol';
import type { Canvas2D } from './draw';
import type { PlotRect } from './geometry';

/** Which label the track shows by default: the first event's label, else the second of two. */
export function defaultTrackLabel(p: EegPrediction): number {
  const evented = p.events.length ? p.labels.indexOf(p.events[0].label) : -1;
  if (evented >= 0) return evented;
  return p.labels.length === 2 ? 1 : 0;
}

/**
 * Points (window centre time, probability of `label`) of the windows overlapping
 * [start, start+duration], sorted by time; where windows are per channel, the maximum over
 * channels. `gap` is true where the previous window is further away than 1.5 window lengths
 * (the line lifts there instead of bridging missing windows).
 */
export function trackPoints(
  p: EegPrediction,
  label: number,
  start: number,
  duration: number,
): { t: number; v: number; d: number; gap: boolean }[] {
  const end = start + duration;
  const byTime = new Map<number, { t: number; v: number; d: number }>();
  for (const w of p.windows) {
    if (w.start > end || w.start + w.duration < start) continue;
    const t = w.start + w.duration / 2;
    const v = w.probabilities[label];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const prev = byTime.get(t);
    if (!prev || v > prev.v) byTime.set(t, { t, v, d: w.duration });
  }
  const pts = [...byTime.values()].sort((a, b) => a.t - b.t);
  return pts.map((q, i) => ({ t: q.t, v: q.v, d: q.d, gap: i === 0 || q.t - pts[i - 1].t > 1.5 * q.d }));
}

export interface TrackTheme {
  background: string;
  foreground: string;
  line: string;
  event: string;
  grid: string;
  font: string;
}

export function drawTrack(
  ctx: Canvas2D,
  p: EegPrediction,
  label: number,
  page: { start: number; duration: number },
  rect: PlotRect,
  size: { width: number; height: number; dpr: number },
  theme: TrackTheme,
): void {
  const { start, duration } = page;
  const x = (t: number): number => rect.x + ((t - start) / duration) * rect.width;
  const y = (v: number): number => rect.y + rect.height - v * rect.height;
  ctx.save();
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, size.width, size.height);
  ctx.font = theme.font;
  ctx.fillStyle = theme.event;
  ctx.globalAlpha = 0.25;
  for (const e of p.events) {
    if (e.label !== p.labels[label] || e.start > start + duration || e.start + e.duration < start) continue;
    const x0 = x(Math.max(start, e.start));
    ctx.fillRect(x0, rect.y, x(Math.min(start + duration, e.start + e.duration)) - x0, rect.height);
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(rect.x, y(0.5));
  ctx.lineTo(rect.x + rect.width, y(0.5));
  ctx.stroke();
  ctx.strokeStyle = theme.line;
  ctx.lineWidth = 2 * size.dpr;
  ctx.beginPath();
  // A line through the window centres; each run of windows reaches out to its outer window edges.
  const pts = trackPoints(p, label, start, duration);
  pts.forEach((q, i) => {
    if (q.gap) {
      ctx.moveTo(x(Math.max(start, q.t - q.d / 2)), y(q.v));
      ctx.lineTo(x(q.t), y(q.v));
    } else ctx.lineTo(x(q.t), y(q.v));
    if (i === pts.length - 1 || pts[i + 1].gap)
      ctx.lineTo(x(Math.min(start + duration, q.t + q.d / 2)), y(q.v));
  });
  ctx.stroke();
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(`P(${p.labels[label]})`, rect.x - 6 * size.dpr, rect.y + rect.height / 2);
  ctx.restore();
}
