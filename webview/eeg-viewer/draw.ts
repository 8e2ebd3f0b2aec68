/**
 * Canvas drawing of a page of traces. Works against the small Canvas2D interface below (a real
 * CanvasRenderingContext2D satisfies it), so the bench can time the same code in Node with a
 * recording context and in a browser with a real canvas. Geometry comes from geometry.ts.
 */
import {
  channelScale,
  formatClock,
  pointsCapacity,
  rowCenter,
  timeTicks,
  timeToX,
  tracePoints,
  type PlotRect,
} from './geometry';

/** The subset of CanvasRenderingContext2D the viewer uses. */
export interface Canvas2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  globalAlpha: number;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  save(): void;
  restore(): void;
}

export interface TraceData {
  label: string;
  unit: string;
  min: Float32Array;
  /** Column maxima when decimated; undefined for raw samples. */
  max: Float32Array | undefined;
}

export interface PageMarks {
  annotations: { onset: number; duration: number; text: string }[];
  gaps: { start: number; duration: number }[];
  /** Annotation index to emphasise (last one jumped to). */
  highlight?: number;
}

export interface Theme {
  background: string;
  foreground: string;
  trace: string;
  grid: string;
  annotation: string;
  gap: string;
  font: string;
}

export interface TraceView {
  start: number;
  duration: number;
  microvoltsPerMm: number;
  negativeUp: boolean;
  devicePixelRatio: number;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
}

/** Left gutter for channel labels and bottom strip for the time axis, in CSS px. */
export const GUTTER_CSS = 88;
export const AXIS_CSS = 18;

export function plotRect(view: TraceView): PlotRect {
  const gutter = GUTTER_CSS * view.devicePixelRatio;
  const axis = AXIS_CSS * view.devicePixelRatio;
  return {
    x: gutter,
    y: 0,
    width: Math.max(1, view.width - gutter),
    height: Math.max(1, view.height - axis),
  };
}

/** Reusable point buffers, one per channel, grown as needed. */
export class PointBuffers {
  private buffers: Float32Array[] = [];
  readonly counts: number[] = [];

  get(i: number, capacity: number): Float32Array {
    if (!this.buffers[i] || this.buffers[i].length < capacity) this.buffers[i] = new Float32Array(capacity);
    return this.buffers[i];
  }
}

/** The geometry step: every channel's polyline into `buffers`. */
export function layoutTraces(traces: readonly TraceData[], view: TraceView, buffers: PointBuffers): PlotRect {
  const rect = plotRect(view);
  const rows = Math.max(1, traces.length);
  const rowHeight = rect.height / rows;
  for (let i = 0; i < traces.length; i++) {
    const t = traces[i];
    const out = buffers.get(i, pointsCapacity(t.min.length, t.max !== undefined));
    const scale = channelScale(t.min, t.max, {
      unit: t.unit,
      microvoltsPerMm: view.microvoltsPerMm,
      devicePixelRatio: view.devicePixelRatio,
      negativeUp: view.negativeUp,
      rowHeight,
    });
    buffers.counts[i] = tracePoints(
      t.min,
      t.max,
      rect.x,
      rect.width,
      rowCenter(rect, rows, i),
      scale,
      rect.y,
      rect.y + rect.height,
      out,
    );
  }
  buffers.counts.length = traces.length;
  return rect;
}

/** The canvas step: strokes every polyline as one path. */
export function strokeTraces(
  ctx: Canvas2D,
  buffers: PointBuffers,
  channels: number,
  color: string,
  lineWidth: number,
): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  for (let i = 0; i < channels; i++) {
    const pts = buffers.get(i, 0);
    const n = buffers.counts[i];
    let penDown = false;
    for (let k = 0; k < n; k += 2) {
      const x = pts[k];
      if (x !== x) {
        penDown = false;
        continue;
      }
      if (penDown) ctx.lineTo(x, pts[k + 1]);
      else {
        ctx.moveTo(x, pts[k + 1]);
        penDown = true;
      }
    }
  }
  ctx.stroke();
}

function drawGrid(ctx: Canvas2D, view: TraceView, rect: PlotRect, theme: Theme): void {
  const dpr = view.devicePixelRatio;
  const ticks = timeTicks(view.start, view.duration);
  ctx.strokeStyle = theme.grid;
  for (const major of [false, true]) {
    ctx.lineWidth = major ? dpr : Math.max(1, dpr * 0.5);
    ctx.globalAlpha = major ? 0.9 : 0.45;
    ctx.beginPath();
    for (const t of ticks) {
      if (t.major !== major) continue;
      const x = Math.round(timeToX(t.time, view.start, view.duration, rect)) + 0.5;
      ctx.moveTo(x, rect.y);
      ctx.lineTo(x, rect.y + rect.height);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const labelEvery = view.duration > 30 ? 10 : view.duration > 10 ? 5 : 1;
  for (const t of ticks) {
    if (!t.major || Math.abs(t.time / labelEvery - Math.round(t.time / labelEvery)) > 1e-6) continue;
    ctx.fillText(
      formatClock(t.time),
      timeToX(t.time, view.start, view.duration, rect),
      rect.y + rect.height + 3 * dpr,
    );
  }
}

function drawMarks(ctx: Canvas2D, view: TraceView, rect: PlotRect, marks: PageMarks, theme: Theme): void {
  const end = view.start + view.duration;
  const dpr = view.devicePixelRatio;
  ctx.fillStyle = theme.gap;
  ctx.globalAlpha = 0.35;
  for (const g of marks.gaps) {
    const x0 = timeToX(Math.max(g.start, view.start), view.start, view.duration, rect);
    const x1 = timeToX(Math.min(g.start + g.duration, end), view.start, view.duration, rect);
    if (x1 > x0) ctx.fillRect(x0, rect.y, x1 - x0, rect.height);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  marks.annotations.forEach((a, i) => {
    if (a.onset > end || a.onset + a.duration < view.start) return;
    const x0 = timeToX(Math.max(a.onset, view.start), view.start, view.duration, rect);
    const x1 = timeToX(Math.min(a.onset + a.duration, end), view.start, view.duration, rect);
    ctx.fillStyle = theme.annotation;
    ctx.globalAlpha = 0.15;
    if (x1 - x0 >= 1) ctx.fillRect(x0, rect.y, x1 - x0, rect.height);
    ctx.globalAlpha = i === marks.highlight ? 1 : 0.8;
    ctx.fillRect(Math.round(x0), rect.y, Math.max(1, (i === marks.highlight ? 2 : 1) * dpr), rect.height);
    if (a.onset >= view.start) ctx.fillText(a.text, x0 + 3 * dpr, rect.y + 2 * dpr);
  });
  ctx.globalAlpha = 1;
}

function drawLabels(
  ctx: Canvas2D,
  traces: readonly TraceData[],
  view: TraceView,
  rect: PlotRect,
  theme: Theme,
): void {
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const rows = Math.max(1, traces.length);
  for (let i = 0; i < traces.length; i++) {
    ctx.fillText(traces[i].label, rect.x - 6 * view.devicePixelRatio, rowCenter(rect, rows, i));
  }
}

/** A whole redraw: background, grid, gaps and annotations, traces, labels. */
export function drawPage(
  ctx: Canvas2D,
  traces: readonly TraceData[],
  view: TraceView,
  marks: PageMarks,
  theme: Theme,
  buffers: PointBuffers,
): PlotRect {
  const rect = layoutTraces(traces, view, buffers);
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, view.width, view.height);
  ctx.font = theme.font;
  drawGrid(ctx, view, rect, theme);
  drawMarks(ctx, view, rect, marks, theme);
  strokeTraces(ctx, buffers, traces.length, theme.trace, Math.max(1, view.devicePixelRatio));
  drawLabels(ctx, traces, view, rect, theme);
  ctx.restore();
  return rect;
}
