import { strict as assert } from 'node:assert';
import type { EegPrediction } from '../../agent/protocol';
import { drawPage, plotRect, PointBuffers, type TraceView } from '../../webview/eeg-viewer/draw';
import { blend, createFrameBuffer, parseColor, polylineSpans } from '../../webview/eeg-viewer/raster';
import {
  channelScale,
  CSS_PX_PER_MM,
  formatClock,
  microvoltsPer,
  timeTicks,
  tracePoints,
  xToTime,
} from '../../webview/eeg-viewer/geometry';
import { PageCache } from '../../webview/eeg-viewer/pageCache';
import { defaultTrackLabel, trackPoints } from '../../webview/eeg-viewer/predictionTrack';
import { spectrumPoints, spectrumScale } from '../../webview/eeg-viewer/spectrum';
import {
  applyAction,
  channelsToRequest,
  clampStart,
  filtersOf,
  initialState,
  keyAction,
  oneRateChannels,
  restoreState,
  startShowing,
  wheelAction,
} from '../../webview/eeg-viewer/viewerState';
import { CanvasRecorder } from './canvasRecorder';

const defaults = {
  secondsPerPage: 10,
  montage: { kind: 'referential' as const },
  filters: { highpass: 0.5, lowpass: 70 },
};

describe('EEG viewer: paging and scales', () => {
  const duration = 182;

  it('pages with PageDown/PageUp and arrows, scrolls a second with Shift, and stays inside the recording', () => {
    let s = initialState(defaults);
    s = applyAction(s, keyAction('PageDown', false)!, duration);
    assert.equal(s.start, 10);
    s = applyAction(s, keyAction('ArrowRight', true)!, duration);
    assert.equal(s.start, 11);
    s = applyAction(s, keyAction('End', false)!, duration);
    assert.equal(s.start, 172);
    s = applyAction(s, keyAction('PageDown', false)!, duration);
    assert.equal(s.start, 172, 'no page past the end');
    s = applyAction(s, keyAction('Home', false)!, duration);
    s = applyAction(s, keyAction('PageUp', false)!, duration);
    assert.equal(s.start, 0);
  });

  it('steps the time scale within 1-60 s and the amplitude in µV/mm', () => {
    let s = initialState(defaults);
    s = applyAction(s, keyAction(']', false)!, duration);
    assert.equal(s.secondsPerPage, 15);
    for (let i = 0; i < 10; i++) s = applyAction(s, keyAction(']', false)!, duration);
    assert.equal(s.secondsPerPage, 60);
    for (let i = 0; i < 20; i++) s = applyAction(s, keyAction('[', false)!, duration);
    assert.equal(s.secondsPerPage, 1);
    const a = applyAction(initialState(defaults), keyAction('+', false)!, duration);
    assert.equal(a.microvoltsPerMm, 5, 'more sensitive = fewer µV per mm');
    assert.equal(applyAction(a, keyAction('-', false)!, duration).microvoltsPerMm, 7);
  });

  it('scrolls a tenth of a page per wheel notch; Ctrl+wheel changes amplitude', () => {
    assert.deepEqual(wheelAction(0, 100, false, 10), { kind: 'seconds', seconds: 1 });
    assert.deepEqual(wheelAction(0, -100, false, 30), { kind: 'seconds', seconds: -3 });
    assert.deepEqual(wheelAction(0, -100, true, 10), { kind: 'amplitude', step: -1 });
    assert.equal(wheelAction(0, 0, false, 10), undefined);
  });

  it('jumps to an annotation a fifth into the page, clamped at the ends', () => {
    const s = initialState(defaults);
    assert.equal(startShowing(31.25, s, duration), 29.25);
    assert.equal(startShowing(1, s, duration), 0);
    assert.equal(startShowing(181, s, duration), 172);
    assert.equal(clampStart(5, 60, 20), 0, 'a page longer than the recording starts at 0');
  });

  it('asks spectra of one sample rate: the most common among the channels shown', () => {
    const signals = [
      { label: 'C3', sampleRate: 256 },
      { label: 'C4', sampleRate: 256 },
      { label: 'ECG', sampleRate: 100 },
      { label: 'SpO2', sampleRate: 1 },
    ];
    assert.deepEqual(oneRateChannels(['C3', 'ECG', 'C4', 'SpO2'], signals), {
      channels: ['C3', 'C4'],
      left: 2,
    });
    assert.deepEqual(oneRateChannels(['Fp1-F7', 'F7-T3'], signals), {
      channels: ['Fp1-F7', 'F7-T3'],
      left: 0,
    });
  });

  it('restores a saved state, repairing what is invalid', () => {
    const saved = {
      ...initialState(defaults),
      start: 500,
      secondsPerPage: 7,
      montage: 'bipolar',
      notch: 50,
      hidden: { bipolar: ['Fp1-F7'] },
    };
    const s = restoreState(saved, defaults, duration);
    assert.equal(s.secondsPerPage, 10, '7 s/page is not a choice: default');
    assert.equal(s.start, 172, 'clamped to the recording');
    assert.equal(s.montage, 'bipolar');
    assert.equal(s.notch, 50);
    assert.deepEqual(channelsToRequest(s, ['Fp1-F7', 'F7-T3']), ['F7-T3']);
    assert.equal(restoreState('garbage', defaults, duration).start, 0);
    assert.deepEqual(filtersOf(s), { highpass: 0.5, lowpass: 70, notch: 50 });
  });
});

describe('EEG viewer: trace geometry', () => {
  it('scales µV by the sensitivity: at 7 µV/mm, 35 µV from the page level is 5 mm', () => {
    const min = Float32Array.of(0, 70);
    const scale = channelScale(min, undefined, {
      unit: 'uV',
      microvoltsPerMm: 7,
      devicePixelRatio: 1,
      negativeUp: false,
      rowHeight: 50,
    });
    // Offset is the page mean (35 µV): 70 µV lies 35 µV above it = 5 mm = 18.9 px, upwards.
    const out = new Float32Array(4);
    tracePoints(min, undefined, 0, 100, 500, scale, -1e9, 1e9, out);
    assert.ok(Math.abs(out[3] - (500 - 5 * CSS_PX_PER_MM)) < 1e-3);
    assert.ok(Math.abs(out[1] - (500 + 5 * CSS_PX_PER_MM)) < 1e-3);
  });

  it('draws negative up when asked (clinical convention) and converts mV', () => {
    assert.equal(microvoltsPer('mV'), 1000);
    assert.equal(microvoltsPer('µV'), 1);
    assert.equal(microvoltsPer('%'), undefined);
    const up = channelScale(Float32Array.of(0), undefined, {
      unit: 'mV',
      microvoltsPerMm: 10,
      devicePixelRatio: 2,
      negativeUp: true,
      rowHeight: 40,
    });
    assert.ok(Math.abs(up.pxPerUnit - (1000 * CSS_PX_PER_MM * 2) / 10) < 1e-6);
  });

  it('fits non-voltage channels to their row', () => {
    const min = Float32Array.of(90, 95);
    const max = Float32Array.of(92, 99);
    const s = channelScale(min, max, {
      unit: '%',
      microvoltsPerMm: 7,
      devicePixelRatio: 1,
      negativeUp: false,
      rowHeight: 100,
    });
    assert.ok(Math.abs(Math.abs(s.pxPerUnit) * 9 - 80) < 1e-6, 'range 90..99 fills 80 % of the row');
  });

  it('emits min and max of each column at the column centre, pen-up at gaps, clamped to the plot', () => {
    const min = Float32Array.of(-1, NaN, -1000);
    const max = Float32Array.of(1, NaN, 1000);
    const out = new Float32Array(12);
    const n = tracePoints(min, max, 10, 30, 50, { pxPerUnit: -1, offset: 0 }, 0, 100, out);
    assert.equal(n, 10);
    assert.deepEqual([...out.slice(0, 4)], [15, 51, 15, 49]);
    assert.ok(Number.isNaN(out[4]) && Number.isNaN(out[5]));
    assert.deepEqual([...out.slice(6, 10)], [35, 100, 35, 0]);
  });

  it('draws each channel in its row as pixel spans, with a hole at a gap, and labels on top', () => {
    const view: TraceView = {
      start: 0,
      duration: 10,
      microvoltsPerMm: 7,
      negativeUp: true,
      devicePixelRatio: 1,
      width: 188,
      height: 218,
    };
    const rect = plotRect(view);
    const cols = rect.width;
    const traces = [0, 1].map((c) => {
      const min = new Float32Array(cols).map((_, i) => Math.sin(i / 5) * 20 - 5 + c);
      const max = min.map((v) => v + 10);
      if (c === 1) min[50] = max[50] = NaN;
      return { label: `C${c}`, unit: 'uV', min, max };
    });
    const ctx = new CanvasRecorder();
    const buffers = new PointBuffers();
    const fb = createFrameBuffer(view.width, view.height);
    const frame = { fb, image: { width: fb.width, height: fb.height, data: fb.bytes } };
    const marks = {
      annotations: [{ onset: 2, duration: 1, text: 'Blink' }],
      gaps: [{ start: 8, duration: 1 }],
    };
    assert.deepEqual(drawPage(ctx, frame, traces, view, marks, themeCss, buffers), rect);
    assert.equal(ctx.images, 1, 'one putImageData per redraw');
    assert.ok(ctx.texts.includes('C0') && ctx.texts.includes('C1') && ctx.texts.includes('Blink'));
    assert.ok(ctx.texts.includes('00:00:05'), 'time axis labelled');
    const trace = parseColor(themeCss.trace)!;
    const inColumn = (x: number, y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) if (fb.pixels[y * fb.width + x] === trace) n++;
      return n;
    };
    const half = rect.height / 2;
    for (const x of [rect.x + 10, rect.x + 49, rect.x + 51, rect.x + 90]) {
      assert.ok(inColumn(x, 0, half) > 0, `channel 0 drawn in its row at x=${x}`);
      assert.ok(inColumn(x, half, rect.height) > 0, `channel 1 drawn in its row at x=${x}`);
    }
    assert.equal(inColumn(rect.x + 50, half, rect.height), 0, 'no ink in channel 1 at its gap');
    assert.equal(inColumn(rect.x - 10, 0, rect.height), 0, 'nothing drawn in the label gutter');
    const bg = parseColor(themeCss.background)!;
    const gapX = rect.x + Math.round(0.83 * rect.width);
    assert.notEqual(fb.pixels[gapX], bg, 'the gap is shaded');
    assert.equal(fb.pixels[rect.x + Math.round(0.73 * rect.width)], bg, 'plain background elsewhere');
  });

  it('turns a polyline into per-column spans that connect neighbouring columns', () => {
    const lo = new Float32Array(4);
    const hi = new Float32Array(4);
    // Column 0: min/max 10..20; column 1: 30..31; then a pen-up; column 3: a single point.
    const pts = Float32Array.of(0.5, 10, 0.5, 20, 1.5, 30, 1.5, 31, NaN, NaN, 3.5, 5);
    polylineSpans(pts, pts.length, 4, lo, hi);
    assert.deepEqual([lo[0], hi[0]], [10, 25]);
    assert.deepEqual([lo[1], hi[1]], [25, 31]);
    assert.ok(Number.isNaN(lo[2]));
    assert.deepEqual([lo[3], hi[3]], [5, 5]);
  });

  it('reads theme colours as VS Code gives them', () => {
    assert.equal(parseColor('#ff0000'), 0xff0000ff);
    assert.equal(parseColor('#0f08'), 0x8800ff00);
    assert.equal(parseColor('rgba(0, 0, 255, 0.5)'), 0x80ff0000);
    assert.equal(parseColor('var(--x)'), undefined);
    assert.equal(blend(0xff000000, 0xffffffff, 0.5), 0xff808080);
  });

  it('puts grid ticks on whole seconds and converts x back to time', () => {
    const ticks = timeTicks(10, 10);
    assert.ok(
      ticks
        .filter((t) => t.major)
        .map((t) => t.time)
        .join(',') === '10,11,12,13,14,15,16,17,18,19,20',
    );
    assert.equal(ticks.filter((t) => !t.major).length, 10);
    assert.equal(xToTime(350, 10, 10, { x: 50, y: 0, width: 600, height: 1 }), 15);
    assert.equal(formatClock(3723.25, true), '01:02:03.3');
  });
});

const themeCss = {
  background: '#1e1e1e',
  foreground: '#cccccc',
  trace: '#e0e0e0',
  grid: '#404040',
  annotation: '#d18616',
  gap: '#888888',
  font: '11px mono',
};

describe('EEG viewer: page cache', () => {
  it('serves repeats from the cache and never fetches the same page twice at once', async () => {
    let fetches = 0;
    const cache = new PageCache<{ start: number }, string>(
      async (p) => {
        fetches++;
        await new Promise((r) => setTimeout(r, 5));
        return `page ${p.start}`;
      },
      (p) => String(p.start),
      2,
    );
    const [a, b] = await Promise.all([cache.get({ start: 0 }), cache.get({ start: 0 })]);
    assert.equal(a, 'page 0');
    assert.equal(b, 'page 0');
    assert.equal(fetches, 1);
    assert.equal(cache.cached({ start: 0 }), 'page 0');
    cache.prefetch({ start: 10 });
    await cache.get({ start: 10 });
    assert.equal(fetches, 2, 'the prefetch is reused');
    await cache.get({ start: 20 });
    assert.equal(cache.size, 2, 'least recently used page dropped');
    assert.equal(cache.cached({ start: 0 }), undefined);
  });

  it('cancels a wanted page when the user moves on, but keeps prefetches', async () => {
    const aborted: number[] = [];
    const cache = new PageCache<{ start: number }, number>(
      (p, signal) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve(p.start), 20);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            aborted.push(p.start);
            reject(new Error('cancelled'));
          });
        }),
      (p) => String(p.start),
    );
    const first = cache.get({ start: 0 });
    cache.prefetch({ start: 100 });
    const second = cache.get({ start: 10 });
    await assert.rejects(first, /cancelled/);
    assert.equal(await second, 10);
    assert.deepEqual(aborted, [0]);
    assert.equal(await cache.get({ start: 100 }), 100);
  });
});

describe('EEG viewer: model track and spectrum', () => {
  const prediction: EegPrediction = {
    model: 'eeg-seizure',
    task: 'eeg-window-classification',
    labels: ['background', 'seizure'],
    probabilities: [0.7, 0.3],
    windows: [
      { start: 0, duration: 4, channel: 'Fp1', probabilities: [0.9, 0.1] },
      { start: 0, duration: 4, channel: 'Fp2', probabilities: [0.6, 0.4] },
      { start: 2, duration: 4, probabilities: [0.2, 0.8] },
      { start: 20, duration: 4, probabilities: [0.5, 0.5] },
    ],
    events: [{ start: 2, duration: 4, label: 'seizure', probability: 0.8 }],
    notes: [],
  };

  it('shows the evented label by default and the maximum over channels per window', () => {
    assert.equal(defaultTrackLabel(prediction), 1);
    const pts = trackPoints(prediction, 1, 0, 30);
    assert.deepEqual(pts, [
      { t: 2, v: 0.4, d: 4, gap: true },
      { t: 4, v: 0.8, d: 4, gap: false },
      { t: 22, v: 0.5, d: 4, gap: true },
    ]);
    assert.deepEqual(trackPoints(prediction, 1, 10, 5), []);
  });

  it('maps PSD to a log scale with whole decades', () => {
    const f = Float32Array.from({ length: 101 }, (_, i) => i * 0.5);
    const psd = f.map((x) => (x === 10 ? 100 : 1));
    const scale = spectrumScale(f, [psd], 40);
    assert.deepEqual(scale, { fmax: 40, logMin: 0, logMax: 2 });
    const pts = spectrumPoints(f, psd, scale, { x: 0, y: 0, width: 400, height: 100 });
    assert.equal(pts.length, 81 * 2);
    assert.equal(pts[20 * 2], 100, '10 Hz at a quarter of the width');
    assert.equal(pts[20 * 2 + 1], 0, 'the peak at the top');
  });
});
