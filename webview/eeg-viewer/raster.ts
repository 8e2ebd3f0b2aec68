/**
 * Pixel rendering of traces: a polyline becomes, per device-pixel column, the vertical span it
 * covers, and spans are written straight into a 32-bit frame buffer. For min/max-decimated pages
 * (one column per pixel) this is exact and an order of magnitude cheaper than stroking ~90k
 * antialiased segments in a software-rastered canvas. Pure typed-array code: runs in Node too.
 */

/** A frame buffer of packed RGBA pixels (little-endian: 0xAABBGGRR), row-major. */
export interface FrameBuffer {
  width: number;
  height: number;
  pixels: Uint32Array;
  bytes: Uint8ClampedArray<ArrayBuffer>;
}

export function createFrameBuffer(width: number, height: number): FrameBuffer {
  const bytes = new Uint8ClampedArray(width * height * 4);
  return { width, height, bytes, pixels: new Uint32Array(bytes.buffer) };
}

const colorCache = new Map<string, number>();

/**
 * Packs a CSS colour as VS Code's theme variables give them (#rgb, #rgba, #rrggbb, #rrggbbaa,
 * rgb()/rgba()) into 0xAABBGGRR; undefined when it cannot be read.
 */
export function parseColor(css: string): number | undefined {
  const cached = colorCache.get(css);
  if (cached !== undefined) return cached;
  const s = css.trim().toLowerCase();
  let r: number, g: number, b: number;
  let a = 255;
  let m: RegExpExecArray | null;
  if ((m = /^#([0-9a-f]{3,4})$/.exec(s))) {
    const d = m[1];
    [r, g, b] = [0, 1, 2].map((i) => parseInt(d[i] + d[i], 16));
    if (d.length === 4) a = parseInt(d[3] + d[3], 16);
  } else if ((m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s))) {
    [r, g, b] = [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16));
    if (m[2]) a = parseInt(m[2], 16);
  } else if ((m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(s))) {
    [r, g, b] = [m[1], m[2], m[3]].map((v) => Math.round(Number(v)));
    if (m[4]) a = Math.round(m[4].endsWith('%') ? Number(m[4].slice(0, -1)) * 2.55 : Number(m[4]) * 255);
  } else {
    return undefined;
  }
  const packed = (((a & 255) << 24) | ((b & 255) << 16) | ((g & 255) << 8) | (r & 255)) >>> 0;
  colorCache.set(css, packed);
  return packed;
}

/** `top` over `base` with `top`'s alpha times `alpha`; the result is opaque. */
export function blend(base: number, top: number, alpha = 1): number {
  const a = (((top >>> 24) & 255) / 255) * alpha;
  const mix = (shift: number): number =>
    Math.round(((top >>> shift) & 255) * a + ((base >>> shift) & 255) * (1 - a));
  return ((255 << 24) | (mix(16) << 16) | (mix(8) << 8) | mix(0)) >>> 0;
}

/**
 * Per pixel column x in [0, width), the y range [lo[x], hi[x]] the polyline covers between
 * x and x+1 (columns it does not reach stay NaN). Points are (x, y) pairs in device pixels
 * relative to the plot's left edge; a NaN pair lifts the pen.
 */
export function polylineSpans(
  points: Float32Array,
  count: number,
  width: number,
  lo: Float32Array,
  hi: Float32Array,
): void {
  lo.fill(NaN, 0, width);
  hi.fill(NaN, 0, width);
  let px = NaN;
  let py = NaN;
  let pc = -1;
  for (let k = 0; k < count; k += 2) {
    const x = points[k];
    const y = points[k + 1];
    if (x !== x) {
      px = NaN;
      continue;
    }
    const c = Math.floor(x);
    // From the previous point (or this point alone) to this one, column by column.
    let c0 = c;
    let yPrev = y;
    let slope = 0;
    if (px === px && c !== pc) {
      c0 = pc;
      yPrev = py;
      slope = (y - py) / (x - px);
    } else if (px === px) {
      yPrev = py;
    }
    for (let col = c0; col <= c; col++) {
      const yEnd = col === c ? y : py + (col + 1 - px) * slope;
      if (col >= 0 && col < width) {
        const a = yPrev < yEnd ? yPrev : yEnd;
        const b = yPrev < yEnd ? yEnd : yPrev;
        if (!(lo[col] <= a)) lo[col] = a;
        if (!(hi[col] >= b)) hi[col] = b;
      }
      yPrev = yEnd;
    }
    px = x;
    py = y;
    pc = c;
  }
}

/**
 * Writes the spans of one trace, `thickness` pixels wide, into rows [top, bottom) of the
 * buffer starting at column `x0`.
 */
export function fillSpans(
  fb: FrameBuffer,
  lo: Float32Array,
  hi: Float32Array,
  columns: number,
  x0: number,
  top: number,
  bottom: number,
  color: number,
  thickness = 1,
): void {
  const { width, pixels } = fb;
  const half = (thickness - 1) / 2;
  for (let c = 0; c < columns; c++) {
    const a = lo[c];
    if (a !== a) continue;
    let y0 = Math.round(a - half);
    let y1 = Math.round(hi[c] + half);
    if (y0 < top) y0 = top;
    if (y1 > bottom - 1) y1 = bottom - 1;
    if (y1 < y0) continue;
    const xStart = x0 + c;
    const xEnd = Math.min(width, xStart + thickness);
    for (let x = xStart; x < xEnd; x++) {
      for (let i = y0 * width + x, end = y1 * width + x; i <= end; i += width) pixels[i] = color;
    }
  }
}

/** Fills rows [top, bottom) with one row pattern (background, shading and grid per column). */
export function fillRows(fb: FrameBuffer, row: Uint32Array, top: number, bottom: number): void {
  for (let y = top; y < bottom; y++) fb.pixels.set(row, y * fb.width);
}
