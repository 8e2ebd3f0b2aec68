import { strict as assert } from 'node:assert';
import type { EegPrediction } from '../../agent/protocol';
import {
  drawPage,
  layoutTraces,
  plotRect,
  PointBuffers,
  strokeTraces,
  type TraceView,
} from '../../webview/eeg-viewer/draw';
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

  it('lays out channels in rows and strokes them as one path, lifting the pen at gaps', () => {
    const view: TraceView = {
      start: 0,
      duration: 10,
      microvoltsPerMm: 7,
      negativeUp: true,
      devicePixelRatio: 1,
      width: 600,
      height: 418,
    };
    const cols = 100;
    const traces = [0, 1].map((c) => {
      const min = new Float32Array(cols).map((_, i) => Math.sin(i / 5) * 20 - 5 + c);
      const max = min.map((v) => v + 10);
      if (c === 1) min[50] = max[50] = NaN;
      return { label: `C${c}`, unit: 'uV', min, max };
    });
    const ctx = new CanvasRecorder();
    const buffers = new PointBuffers();
    const rect = drawPage(
      ctx,
      traces,
      view,
      { annotations: [{ onset: 2, duration: 1, text: 'Blink' }], gaps: [] },
      theme,
      buffers,
    );
    assert.deepEqual(rect, plotRect(view));
    assert.equal(buffers.counts[0], cols * 4);
    // Channel 0: one run of 200 points; channel 1: the gap at column 50 splits it in two runs.
    const strokes = new CanvasRecorder();
    strokeTraces(strokes, buffers, 2, 'fg', 1);
    assert.equal(strokes.strokes, 1, 'all channels in one stroke');
    assert.equal(strokes.moves, 3);
    assert.equal(strokes.lines, 199 + 99 + 97);
    assert.ok(ctx.texts.includes('C0') && ctx.texts.includes('C1') && ctx.texts.includes('Blink'));
    assert.ok(ctx.texts.includes('00:00:05'), 'time axis labelled');
    const centre0 = rect.y + rect.height / 4;
    const ys = buffers.get(0, 0).filter((_, i) => i % 2 === 1);
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    assert.ok(Math.abs(mean - centre0) < 2, 'channel 0 drawn around its row centre');
    const layout = new PointBuffers();
    layoutTraces(traces, view, layout);
    assert.deepEqual(
      [...layout.get(1, 0).slice(0, layout.counts[1])],
      [...buffers.get(1, 0).slice(0, buffers.counts[1])],
    );
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

const theme = {
  background: 'bg',
  foreground: 'fg',
  trace: 'tr',
  grid: 'gr',
  annotation: 'an',
  gap: 'gp',
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
      { t: 2, v: 0.4, gap: true },
      { t: 4, v: 0.8, gap: false },
      { t: 22, v: 0.5, gap: true },
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
