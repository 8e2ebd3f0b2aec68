/**
 * EEG viewer rendering and first-page latency.
 *
 * 1. Redraw of 32 channels x 10 s at 1400 px (target < 16 ms, one frame): the viewer's own code
 *    (webview/eeg-viewer/draw.ts: geometry, pixel spans into a frame buffer, one putImageData,
 *    labels) on min/max-decimated columns, against the baseline of stroking every raw sample of
 *    the page (512 Hz) as one canvas path, the way a viewer without decimation would draw.
 *    - in Node: geometry alone, and geometry + pixels (all of the redraw's work except
 *      putImageData and the ~45 label texts);
 *    - in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) on a real canvas,
 *      rasterisation forced by reading a pixel back: the number that matters. Skipped, and said
 *      so, when no Chromium is installed.
 * 2. First traces: eeg/open + the first eeg/window (10 s, 1400 columns, 32 channels, band-pass
 *    and notch) through the real agent process for a ~2 GB EDF next to a ~1 MB one (target
 *    < 1 s, and about equal). The 2 GB file is sparse (its records read as zeros), so it costs no
 *    disk, yet the reader cannot know that: only its random access makes the two equal.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import {
  layoutTraces,
  PointBuffers,
  rasterPage,
  type TraceData,
  type TraceView,
} from '../webview/eeg-viewer/draw';
import { createFrameBuffer } from '../webview/eeg-viewer/raster';
import { EdfWriter } from '../samples/edf/writer';
import { startAgent } from '../test/support/agentProcess';
import { medianMs, verdict } from './bench';

export const title = 'EEG viewer: redraw of 32 ch x 10 s at 1400 px, first page of a 2 GB recording';

const CHANNELS = 32;
const COLUMNS = 1400;
const SECONDS = 10;
const RAW_RATE = 512;
const FRAME_MS = 16;
const FIRST_TRACES_MS = 1000;

/** EEG-like page: alpha + slow drift + noise, as decimated min/max columns or raw samples. */
function page(columns: number, decimated: boolean): TraceData[] {
  return Array.from({ length: CHANNELS }, (_, c) => {
    const min = new Float32Array(columns);
    const max = decimated ? new Float32Array(columns) : undefined;
    let seed = c + 7;
    for (let i = 0; i < columns; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const t = (i / columns) * SECONDS;
      const v =
        30 * Math.sin(2 * Math.PI * (9 + c / 10) * t) +
        20 * Math.sin(2 * Math.PI * 0.7 * t) +
        (seed / 2 ** 32 - 0.5) * 15;
      min[i] = v;
      if (max) max[i] = v + 4 + (seed % 9);
    }
    return { label: `EEG ${c + 1}`, unit: 'uV', min, max };
  });
}

const VIEW: TraceView = {
  start: 0,
  duration: SECONDS,
  microvoltsPerMm: 7,
  negativeUp: true,
  devicePixelRatio: 1,
  width: COLUMNS + 88,
  height: 900,
};
const THEME = {
  background: '#1e1e1e',
  foreground: '#cccccc',
  trace: '#cccccc',
  grid: '#404040',
  annotation: '#d18616',
  gap: '#888888',
  font: '11px monospace',
};
const MARKS = { annotations: [{ onset: 3.5, duration: 1, text: 'Blink' }], gaps: [] };

function nodeTimings(print: (line: string) => void): void {
  const decimated = page(COLUMNS, true);
  const raw = page(RAW_RATE * SECONDS, false);
  const buffers = new PointBuffers();
  const fb = createFrameBuffer(VIEW.width, VIEW.height);
  const geoDec = medianMsSync(() => layoutTraces(decimated, VIEW, buffers), 50);
  const geoRaw = medianMsSync(() => layoutTraces(raw, VIEW, buffers), 20);
  const pixDec = medianMsSync(() => rasterPage(fb, decimated, VIEW, MARKS, THEME, buffers), 50);
  const pixRaw = medianMsSync(() => rasterPage(fb, raw, VIEW, MARKS, THEME, buffers), 20);
  print(
    `  Node, median of runs (${CHANNELS} ch, ${COLUMNS} columns vs ${RAW_RATE * SECONDS} raw samples per channel):`,
  );
  print(
    `    geometry           decimated ${geoDec.toFixed(2)} ms   raw ${geoRaw.toFixed(2)} ms   (x${(geoRaw / geoDec).toFixed(1)})`,
  );
  print(
    `    geometry + pixels  decimated ${pixDec.toFixed(2)} ms   raw ${pixRaw.toFixed(2)} ms   (x${(pixRaw / pixDec).toFixed(1)})`,
  );
}

function medianMsSync(fn: () => unknown, repeats: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const BROWSER_PAGE = `
import { drawPage, PointBuffers } from './webview/eeg-viewer/draw';
import { createFrameBuffer } from './webview/eeg-viewer/raster';
const CHANNELS = ${CHANNELS}, SECONDS = ${SECONDS};
${page.toString()}
const view = ${JSON.stringify(VIEW)};
const theme = ${JSON.stringify(THEME)};
const marks = ${JSON.stringify(MARKS)};
const canvas = document.createElement('canvas');
canvas.width = view.width; canvas.height = view.height;
document.body.append(canvas);
const ctx = canvas.getContext('2d', { alpha: false });
const buffers = new PointBuffers();
const fb = createFrameBuffer(view.width, view.height);
const frame = { fb, image: new ImageData(fb.bytes, view.width, view.height) };
// Baseline: every raw sample of the page stroked as one path (no decimation).
function strokeRaw(traces) {
  ctx.fillStyle = theme.background; ctx.fillRect(0, 0, view.width, view.height);
  ctx.strokeStyle = theme.trace; ctx.lineWidth = 1; ctx.beginPath();
  const rowH = (view.height - 18) / traces.length, w = view.width - 88, k = 3.7795 / view.microvoltsPerMm;
  traces.forEach((t, c) => {
    const y0 = (c + 0.5) * rowH, n = t.min.length;
    for (let i = 0; i < n; i++) { const x = 88 + (i / n) * w, y = y0 + t.min[i] * k; if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); }
  });
  ctx.stroke();
}
function time(draw, runs) {
  const once = () => { draw(); ctx.getImageData(0, 0, 1, 1); };
  for (let i = 0; i < 3; i++) once();
  const t = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); once(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], p95: t[Math.floor(t.length * 0.95)], max: t[t.length - 1] };
}
const decimated = page(${COLUMNS}, true), raw = page(${RAW_RATE * SECONDS}, false);
const dec = time(() => drawPage(ctx, frame, decimated, view, marks, theme, buffers), 60);
const base = time(() => strokeRaw(raw), 20);
const out = document.createElement('pre');
out.id = 'result';
out.textContent = JSON.stringify({ dec, raw: base, ua: navigator.userAgent });
document.body.append(out);
`;

async function browserTimings(print: (line: string) => void): Promise<boolean | undefined> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    print(
      `  Chromium: SKIPPED (no ${chromium}; set CHROMIUM_PATH) - the 16 ms target is judged in a browser only`,
    );
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-render-'));
  try {
    const built = await esbuild.build({
      stdin: { contents: BROWSER_PAGE, resolveDir: path.resolve(__dirname, '..'), loader: 'ts' },
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
    });
    fs.writeFileSync(path.join(dir, 'page.js'), built.outputFiles[0].text);
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!DOCTYPE html><html><body><script src="page.js"></script></body></html>',
    );
    const dom = cp.execFileSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--dump-dom',
        `file://${dir}/index.html`,
      ],
      { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const m = /<pre id="result">([^<]*)<\/pre>/.exec(dom);
    if (!m) throw new Error('the bench page produced no result');
    const r = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as {
      dec: { median: number; p95: number; max: number };
      raw: { median: number; p95: number; max: number };
      ua: string;
    };
    // The median is judged: p95 on this shared 2-core machine measures its load as much as the code.
    const ok = r.dec.median < FRAME_MS;
    print(
      `  Chromium ${/Chrome\/([\d.]+)/.exec(r.ua)?.[1] ?? ''} (software raster, --disable-gpu), canvas ${VIEW.width}x${VIEW.height}:`,
    );
    print(
      `    viewer redraw  median ${r.dec.median.toFixed(2)} ms  p95 ${r.dec.p95.toFixed(2)} ms  max ${r.dec.max.toFixed(2)} ms`,
    );
    print(
      `    baseline: raw ${RAW_RATE} Hz stroked  median ${r.raw.median.toFixed(2)} ms  p95 ${r.raw.p95.toFixed(2)} ms   (x${(r.raw.median / r.dec.median).toFixed(1)} the viewer's redraw)`,
    );
    print(`    ${verdict(ok)}: median redraw < ${FRAME_MS} ms`);
    return ok;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain EDF of `seconds` (1-s records, 32 x 256 Hz), sparse beyond its first record. */
async function sparseEdf(file: string, seconds: number): Promise<number> {
  const signals = Array.from({ length: CHANNELS }, (_, c) => ({
    label: `EEG ${c + 1}`,
    unit: 'uV',
    samplesPerRecord: 256,
    physicalMin: -3276.8,
    physicalMax: 3276.7,
  }));
  const w = await EdfWriter.create(file, {
    format: 'EDF',
    recordDuration: 1,
    signals,
    start: { year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5 },
  });
  await w.writePhysical(
    signals.map((_, c) => Float32Array.from({ length: 256 }, (_, i) => 50 * Math.sin(i / (5 + c)))),
  );
  await w.close();
  const headerBytes = 256 * (CHANNELS + 1);
  const recordBytes = CHANNELS * 256 * 2;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, String(seconds).padEnd(8, ' '), 236, 'ascii');
  fs.ftruncateSync(fd, headerBytes + seconds * recordBytes);
  fs.closeSync(fd);
  return headerBytes + seconds * recordBytes;
}

async function firstTraces(print: (line: string) => void): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-first-'));
  const agent = startAgent();
  try {
    const small = path.join(dir, 'small.edf');
    const large = path.join(dir, 'large.edf');
    await sparseEdf(small, 64);
    const bytes = await sparseEdf(large, Math.floor((2 * 1024 ** 3) / (CHANNELS * 256 * 2)));
    await agent.request('agent/ping', {});
    const pageAt = async (file: string, where: 'start' | 'middle' | 'end'): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const info = await agent.request('eeg/open', { path: file });
      const start =
        where === 'start' ? 0 : where === 'middle' ? Math.floor(info.duration / 2) : info.duration - SECONDS;
      const w = await agent.request('eeg/window', {
        path: file,
        start,
        duration: SECONDS,
        montage: { kind: 'referential' },
        filters: { highpass: 0.5, lowpass: 70, notch: 50 },
        columns: COLUMNS,
      });
      if (w.channels.length !== CHANNELS || !w.decimated) throw new Error(`unexpected window from ${file}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    // The first call per file includes its header read (what opening a tab costs).
    const firstSmall = await pageAt(small, 'start');
    const firstLarge = await pageAt(large, 'start');
    const smallMs = await medianMs(() => pageAt(small, 'start'), 5);
    const largeStart = await medianMs(() => pageAt(large, 'start'), 5);
    const largeMiddle = await medianMs(() => pageAt(large, 'middle'), 5);
    const largeEnd = await medianMs(() => pageAt(large, 'end'), 5);
    const ok = firstLarge < FIRST_TRACES_MS && largeStart < FIRST_TRACES_MS && largeEnd < FIRST_TRACES_MS;
    print(
      `  first traces through the agent (eeg/open + eeg/window, ${CHANNELS} ch, ${SECONDS} s, ${COLUMNS} columns, 0.5-70 Hz + 50 Hz notch):`,
    );
    print(
      `    ${(bytes / 1024 ** 3).toFixed(2)} GB file: first ${firstLarge.toFixed(0)} ms, then start ${largeStart.toFixed(1)} ms, middle ${largeMiddle.toFixed(1)} ms, end ${largeEnd.toFixed(1)} ms`,
    );
    print(
      `    ~1 MB file:   first ${firstSmall.toFixed(0)} ms, then ${smallMs.toFixed(1)} ms   (2 GB / 1 MB = x${(largeStart / smallMs).toFixed(2)})`,
    );
    print(`    ${verdict(ok)}: first traces of the 2 GB file < ${FIRST_TRACES_MS} ms`);
    return ok;
  } finally {
    await agent.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(print: (line: string) => void): Promise<boolean> {
  nodeTimings(print);
  const browser = await browserTimings(print);
  let first = false;
  try {
    first = await firstTraces(print);
  } catch (e) {
    print(`  first traces: FAILED ${e instanceof Error ? e.message : String(e)}`);
  }
  return browser !== false && first;
}
