/**
 * Drawing a page of traces. Geometry (geometry.ts) turns min/max columns into polylines;
 * raster.ts turns those into per-pixel spans written into a frame buffer together with the
 * background, gaps, annotation shading and grid; one putImageData shows it, and the few texts
 * (channel labels, time axis, annotation names) are drawn on top with the canvas API. Works
 * against the small Canvas2D interface below (a real CanvasRenderingContext2D satisfies it), so
 * the bench times the same code in Node and in a browser.
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
import { blend, fillRows, fillSpans, parseColor, polylineSpans, type FrameBuffer } from './raster';

export interface ImageLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

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
  putImageData(image: ImageLike, dx: number, dy: number): void;
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

/** CSS colours (theme variables) and the font. */
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

/** A frame buffer and the ImageData that shares its bytes (built once per canvas size). */
export interface Frame {
  fb: FrameBuffer;
  image: ImageLike;
}

/** Left gutter for channel labels and bottom strip for the time axis, in CSS px. */
export const GUTTER_CSS = 88;
export const AXIS_CSS = 18;

export function plotRect(view: TraceView): PlotRect {
  const gutter = Math.round(GUTTER_CSS * view.devicePixelRatio);
  const axis = Math.round(AXIS_CSS * view.devicePixelRatio);
  return {
    x: gutter,
    y: 0,
    width: Math.max(1, view.width - gutter),
    height: Math.max(1, view.height - axis),
  };
}

/** Reusable per-channel point buffers and span scratch space, grown as needed. */
export class PointBuffers {
  private buffers: Float32Array[] = [];
  readonly counts: number[] = [];
  lo = new Float32Array(0);
  hi = new Float32Array(0);
  row = new Uint32Array(0);

  get(i: number, capacity: number): Float32Array {
    if (!this.buffers[i] || this.buffers[i].length < capacity) this.buffers[i] = new Float32Array(capacity);
    return this.buffers[i];
  }

  scratch(width: number): void {
    if (this.lo.length < width) {
      this.lo = new Float32Array(width);
      this.hi = new Float32Array(width);
    }
    if (this.row.length !== width) this.row = new Uint32Array(width);
  }
}

/** The geometry step: every channel's polyline, x relative to the plot's left edge. */
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
      0,
      rect.width,
      rowCenter(rect, rows, i),
      scale,
      rect.y,
      rect.y + rect.height - 1,
      out,
    );
  }
  buffers.counts.length = traces.length;
  return rect;
}

const color = (css: string, fallback: number): number => parseColor(css) ?? fallback;

/** The background row of the plot: gaps, annotation shading, grid and annotation lines. */
function backgroundRow(
  view: TraceView,
  rect: PlotRect,
  marks: PageMarks,
  theme: Theme,
  row: Uint32Array,
): void {
  const bg = color(theme.background, 0xff1e1e1e) | 0xff000000;
  const grid = color(theme.grid, 0xff404040);
  const ann = color(theme.annotation, 0xff1686d1);
  const gap = color(theme.gap, 0xff888888);
  const end = view.start + view.duration;
  const dpr = view.devicePixelRatio;
  row.fill(bg >>> 0);
  const col = (t: number): number => Math.round(timeToX(t, view.start, view.duration, rect));
  const shade = (x0: number, x1: number, c: number, alpha: number): void => {
    for (let x = Math.max(rect.x, x0); x < Math.min(row.length, x1); x++) row[x] = blend(row[x], c, alpha);
  };
  for (const g of marks.gaps)
    shade(col(Math.max(g.start, view.start)), col(Math.min(g.start + g.duration, end)), gap, 0.35);
  for (const a of marks.annotations) {
    if (a.duration > 0 && a.onset < end && a.onset + a.duration > view.start) {
      shade(col(Math.max(a.onset, view.start)), col(Math.min(a.onset + a.duration, end)), ann, 0.15);
    }
  }
  for (const t of timeTicks(view.start, view.duration)) {
    const x = col(t.time);
    const w = t.major ? Math.max(1, Math.round(dpr)) : 1;
    shade(x, x + w, grid, t.major ? 0.9 : 0.45);
  }
  marks.annotations.forEach((a, i) => {
    if (a.onset < view.start || a.onset > end) return;
    const x = col(a.onset);
    const w = Math.max(1, Math.round((i === marks.highlight ? 2 : 1) * dpr));
    shade(x, x + w, ann, i === marks.highlight ? 1 : 0.8);
  });
}

/** The pixel step: background and traces into the frame buffer. */
export function rasterPage(
  fb: FrameBuffer,
  traces: readonly TraceData[],
  view: TraceView,
  marks: PageMarks,
  theme: Theme,
  buffers: PointBuffers,
): PlotRect {
  const rect = layoutTraces(traces, view, buffers);
  buffers.scratch(fb.width);
  const row = buffers.row;
  backgroundRow(view, rect, marks, theme, row);
  const bottom = Math.min(fb.height, rect.y + rect.height);
  fillRows(fb, row, 0, bottom);
  row.fill((color(theme.background, 0xff1e1e1e) | 0xff000000) >>> 0);
  fillRows(fb, row, bottom, fb.height);
  const trace = (color(theme.trace, 0xffcccccc) | 0xff000000) >>> 0;
  const thickness = Math.max(1, Math.round(view.devicePixelRatio));
  const columns = Math.min(rect.width, fb.width - rect.x);
  for (let i = 0; i < traces.length; i++) {
    polylineSpans(buffers.get(i, 0), buffers.counts[i], columns, buffers.lo, buffers.hi);
    fillSpans(fb, buffers.lo, buffers.hi, columns, rect.x, rect.y, bottom, trace, thickness);
  }
  return rect;
}

function drawTexts(
  ctx: Canvas2D,
  traces: readonly TraceData[],
  view: TraceView,
  rect: PlotRect,
  marks: PageMarks,
  theme: Theme,
): void {
  const dpr = view.devicePixelRatio;
  const end = view.start + view.duration;
  ctx.font = theme.font;
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const rows = Math.max(1, traces.length);
  for (let i = 0; i < traces.length; i++)
    ctx.fillText(traces[i].label, rect.x - 6 * dpr, rowCenter(rect, rows, i));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const labelEvery = view.duration > 30 ? 10 : view.duration > 10 ? 5 : 1;
  for (const t of timeTicks(view.start, view.duration)) {
    if (!t.major || Math.abs(t.time / labelEvery - Math.round(t.time / labelEvery)) > 1e-6) continue;
    ctx.fillText(
      formatClock(t.time),
      timeToX(t.time, view.start, view.duration, rect),
      rect.y + rect.height + 3 * dpr,
    );
  }
  ctx.fillStyle = theme.annotation;
  ctx.textAlign = 'left';
  for (const a of marks.annotations) {
    if (a.onset < view.start || a.onset > end) continue;
    ctx.fillText(a.text, timeToX(a.onset, view.start, view.duration, rect) + 3 * dpr, rect.y + 2 * dpr);
  }
}

/** A whole redraw: pixels (background, grid, marks, traces), then labels. */
export function drawPage(
  ctx: Canvas2D,
  frame: Frame,
  traces: readonly TraceData[],
  view: TraceView,
  marks: PageMarks,
  theme: Theme,
  buffers: PointBuffers,
): PlotRect {
  const rect = rasterPage(frame.fb, traces, view, marks, theme, buffers);
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.putImageData(frame.image, 0, 0);
  drawTexts(ctx, traces, view, rect, marks, theme);
  ctx.restore();
  return rect;
}
