/**
 * EEG viewer webview: draws min/max-decimated pages fetched by time through the custom editor
 * (never the whole file), with paging, scales, montage and filters, annotations, channel choice,
 * spectrum / band power of the visible page, and a model's output track. State survives the tab
 * being hidden (VS Code keeps it via setState).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import type {
  EegAnnotation,
  EegBands,
  EegPrediction,
  EegRecordingInfo,
  ModelSummary,
} from '../../agent/protocol';
import { $ } from '../common/dom';
import { decodeFloat32 } from '../common/float32';
import { adoptStyles, onThemeChange, themeColor } from '../common/styles';
import { PanelConnection, RequestFailed } from '../common/vscodeApi';
import {
  drawPage,
  plotRect,
  PointBuffers,
  type Frame,
  type PageMarks,
  type Theme,
  type TraceData,
  type TraceView,
} from './draw';
import { formatClock, xToTime } from './geometry';
import { VIEWER_MARKUP } from './layout';
import type {
  EegViewerEvent,
  EegViewerNotice,
  EegViewerRequests,
  ViewerDefaults,
  ViewerWindowParams,
} from './messages';
import { PageCache } from './pageCache';
import { createFrameBuffer } from './raster';
import { defaultTrackLabel, drawTrack } from './predictionTrack';
import { drawSpectrum } from './spectrum';
import css from './style.css';
import {
  applyAction,
  channelsToRequest,
  clampStart,
  filtersOf,
  keyAction,
  montageOf,
  oneRateChannels,
  restoreState,
  SIDE_TABS,
  startShowing,
  wheelAction,
  type NavAction,
  type ViewerState,
} from './viewerState';

interface DecodedPage {
  params: ViewerWindowParams;
  traces: TraceData[];
  gaps: { start: number; duration: number }[];
}

/** Minimal typing of the vscode-elements we read and write. */
type SelectEl = HTMLElement & { value: string };
type CheckboxEl = HTMLElement & { checked: boolean; label: string };
type TabsEl = HTMLElement & { selectedIndex: number };
type ButtonEl = HTMLElement & { disabled: boolean };

const MAX_COLUMNS = 4096;

/** A canvas whose backing store matches its CSS size in device pixels, and its 2D context. */
function fitCanvas(id: string): {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D | null;
  dpr: number;
} {
  const canvas = $<HTMLCanvasElement>(id);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
  return { canvas, ctx: canvas.getContext('2d'), dpr };
}

class Viewer {
  private readonly conn = new PanelConnection<EegViewerRequests, EegViewerEvent, EegViewerNotice>();
  private rec!: EegRecordingInfo;
  private annotations: EegAnnotation[] = [];
  private state!: ViewerState;
  private readonly available: Record<string, string[]> = {};
  private readonly buffers = new PointBuffers();
  private shown: DecodedPage | undefined;
  private highlight: number | undefined;
  private frame = 0;
  private pixels: Frame | undefined;
  private lastDrawMs = 0;
  private prediction: EegPrediction | undefined;
  private predictionAbort: AbortController | undefined;
  private trackLabel = 0;
  private analysisTimer: ReturnType<typeof setTimeout> | undefined;
  private analysisAbort: AbortController | undefined;
  private readonly pages = new PageCache<ViewerWindowParams, DecodedPage>(
    (params, signal) => this.fetchPage(params, signal),
    (p) => JSON.stringify(p),
    10,
  );

  constructor() {
    adoptStyles(css);
    document.body.innerHTML = VIEWER_MARKUP;
    this.conn.onEvent((ev) => this.onEvent(ev));
    this.conn.notify({ type: 'ready' });
  }

  private onEvent(ev: EegViewerEvent): void {
    if (ev.type === 'init') {
      this.init(ev.name, ev.recording, ev.annotations, ev.defaults);
      if (ev.prediction) this.showPrediction(ev.prediction);
    } else if (ev.type === 'openFailed')
      this.status(`Cannot open ${ev.name}: ${ev.message} (${ev.code})`, true);
    else if (ev.type === 'reloaded') {
      this.rec = ev.recording;
      this.annotations = ev.annotations;
      this.pages.clear();
      this.renderAnnotations();
      this.update();
    }
  }

  private init(
    name: string,
    rec: EegRecordingInfo,
    annotations: EegAnnotation[],
    defaults: ViewerDefaults,
  ): void {
    this.rec = rec;
    this.annotations = annotations;
    this.state = restoreState(this.conn.getState<ViewerState>(), defaults, rec.duration);
    $('title').textContent = name;
    $('title').title = `${rec.format} · ${rec.signals.length} signals · ${formatClock(rec.duration)}`;
    this.bindControls();
    this.syncControls();
    this.renderAnnotations();
    new ResizeObserver(() => this.update()).observe($('traces'));
    onThemeChange(() => this.redraw());
    if (rec.warnings.length) this.status(rec.warnings.map((w) => w.message).join(' · '));
    this.update();
    void this.loadModels();
  }

  // ───────────── controls ─────────────

  private bindControls(): void {
    const onSelect = (id: string, apply: (value: string) => Partial<ViewerState>): void => {
      $<SelectEl>(id).addEventListener('change', () => this.setState(apply($<SelectEl>(id).value)));
    };
    onSelect('secondsPerPage', (v) => ({ secondsPerPage: Number(v) }));
    onSelect('amplitude', (v) => ({ microvoltsPerMm: Number(v) }));
    onSelect('montage', (v) => ({ montage: v as ViewerState['montage'] }));
    onSelect('highpass', (v) => ({ highpass: v === 'off' ? null : Number(v) }));
    onSelect('lowpass', (v) => ({ lowpass: v === 'off' ? null : Number(v) }));
    onSelect('notch', (v) => ({ notch: v === 'off' ? 0 : (Number(v) as 50 | 60) }));
    onSelect('model', (v) => ({ model: v || null }));
    $<CheckboxEl>('negativeUp').addEventListener('change', () =>
      this.setState({ negativeUp: $<CheckboxEl>('negativeUp').checked }),
    );
    $<SelectEl>('trackLabel').addEventListener('change', () => {
      this.trackLabel = Number($<SelectEl>('trackLabel').value);
      this.redraw();
    });
    $('prev').addEventListener('click', () => this.act({ kind: 'page', pages: -1 }));
    $('next').addEventListener('click', () => this.act({ kind: 'page', pages: 1 }));
    const position = $<HTMLInputElement>('position');
    position.addEventListener('input', () => this.setState({ start: Number(position.value) }));

    const traces = $<HTMLCanvasElement>('traces');
    document.addEventListener('keydown', (e) => {
      const target = e.target as HTMLElement;
      // Keys typed in a control belong to that control.
      if (target !== traces && target !== document.body) return;
      const action = keyAction(e.key, e.shiftKey);
      if (!action) return;
      e.preventDefault();
      this.act(action);
    });
    traces.addEventListener(
      'wheel',
      (e) => {
        const action = wheelAction(e.deltaX, e.deltaY, e.ctrlKey || e.metaKey, this.state.secondsPerPage);
        if (!action) return;
        e.preventDefault();
        this.act(action);
      },
      { passive: false },
    );
    traces.addEventListener('click', () => traces.focus());
    traces.addEventListener('dblclick', (e) => {
      // Double click centres the page on that moment.
      const dpr = window.devicePixelRatio || 1;
      const rect = plotRect(this.view());
      const t = xToTime(e.offsetX * dpr, this.state.start, this.state.secondsPerPage, rect);
      this.setState({ start: t - this.state.secondsPerPage / 2 });
    });

    $<TabsEl>('tabs').addEventListener('vsc-tabs-select', () => {
      this.setState({ sideTab: SIDE_TABS[$<TabsEl>('tabs').selectedIndex] ?? 'annotations' });
    });
    $('channelsAll').addEventListener('click', () => this.setHidden([]));
    $('channelsFirst').addEventListener('click', () => {
      const all = this.available[this.state.montage] ?? [];
      this.setHidden(all.slice(1));
    });
    $('runModel').addEventListener('click', () => void this.runModel());
    $('explainModel').addEventListener('click', () => {
      if (this.prediction) this.conn.notify({ type: 'explain', prediction: this.prediction });
    });
    $('cancelModel').addEventListener('click', () => this.predictionAbort?.abort());
  }

  private syncControls(): void {
    const s = this.state;
    $<SelectEl>('secondsPerPage').value = String(s.secondsPerPage);
    $<SelectEl>('amplitude').value = String(s.microvoltsPerMm);
    $<SelectEl>('montage').value = s.montage;
    $<SelectEl>('highpass').value = s.highpass === null ? 'off' : String(s.highpass);
    $<SelectEl>('lowpass').value = s.lowpass === null ? 'off' : String(s.lowpass);
    $<SelectEl>('notch').value = s.notch ? String(s.notch) : 'off';
    $<CheckboxEl>('negativeUp').checked = s.negativeUp;
    $<TabsEl>('tabs').selectedIndex = SIDE_TABS.indexOf(s.sideTab);
    const position = $<HTMLInputElement>('position');
    position.max = String(Math.max(0, this.rec.duration - s.secondsPerPage));
    position.value = String(s.start);
    const end = Math.min(this.rec.duration, s.start + s.secondsPerPage);
    $('time').textContent =
      `${formatClock(s.start, true)} – ${formatClock(end, true)} / ${formatClock(this.rec.duration)}`;
    $<ButtonEl>('prev').disabled = s.start <= 0;
    $<ButtonEl>('next').disabled = s.start >= this.rec.duration - s.secondsPerPage;
  }

  private act(action: NavAction): void {
    this.setState(applyAction(this.state, action, this.rec.duration));
  }

  private setState(patch: Partial<ViewerState>): void {
    const next = { ...this.state, ...patch };
    next.start = clampStart(next.start, next.secondsPerPage, this.rec.duration);
    this.state = next;
    this.conn.setState(next);
    this.syncControls();
    this.update();
  }

  private setHidden(hidden: string[]): void {
    this.setState({ hidden: { ...this.state.hidden, [this.state.montage]: hidden } });
    this.renderChannels();
  }

  // ───────────── pages ─────────────

  private view(): TraceView {
    const canvas = $<HTMLCanvasElement>('traces');
    const dpr = window.devicePixelRatio || 1;
    return {
      start: this.state.start,
      duration: this.state.secondsPerPage,
      microvoltsPerMm: this.state.microvoltsPerMm,
      negativeUp: this.state.negativeUp,
      devicePixelRatio: dpr,
      width: Math.max(1, Math.round(canvas.clientWidth * dpr)),
      height: Math.max(1, Math.round(canvas.clientHeight * dpr)),
    };
  }

  private paramsAt(start: number): ViewerWindowParams {
    const view = this.view();
    const columns = Math.min(MAX_COLUMNS, Math.max(16, Math.round(plotRect(view).width)));
    return {
      start,
      duration: this.state.secondsPerPage,
      channels: channelsToRequest(this.state, this.available[this.state.montage]),
      montage: montageOf(this.state),
      filters: filtersOf(this.state),
      columns,
    };
  }

  private async fetchPage(params: ViewerWindowParams, signal: AbortSignal): Promise<DecodedPage> {
    const w = await this.conn.request('window', params, { signal });
    const traces = w.channels.map((c) => ({
      label: c.label,
      unit: c.unit,
      min: decodeFloat32(c.data),
      max: c.max ? decodeFloat32(c.max) : undefined,
    }));
    if (!params.channels)
      this.rememberChannels(
        params.montage.kind,
        traces.map((t) => t.label),
      );
    return { params, traces, gaps: w.gaps };
  }

  private rememberChannels(montage: string, labels: string[]): void {
    const known = this.available[montage];
    if (known && known.join('\n') === labels.join('\n')) return;
    this.available[montage] = labels;
    if (montage === this.state.montage) this.renderChannels();
  }

  /** Shows the current page: from the cache at once, else when it arrives (latest request wins). */
  private update(): void {
    const params = this.paramsAt(this.state.start);
    const hit = this.pages.cached(params);
    if (hit) {
      this.shown = hit;
      this.redraw();
      this.afterPage(params);
      return;
    }
    this.status('Loading…');
    const t0 = performance.now();
    this.pages.get(params).then(
      (page) => {
        if (JSON.stringify(this.paramsAt(this.state.start)) !== JSON.stringify(params)) return;
        this.shown = page;
        this.redraw(performance.now() - t0);
        this.afterPage(params);
      },
      (e: unknown) => {
        if (e instanceof RequestFailed && e.cancelled) return;
        this.status(`Cannot read this page: ${e instanceof Error ? e.message : String(e)}`, true);
      },
    );
  }

  private afterPage(params: ViewerWindowParams): void {
    const { secondsPerPage } = this.state;
    const duration = this.rec.duration;
    const next = clampStart(params.start + secondsPerPage, secondsPerPage, duration);
    const prev = clampStart(params.start - secondsPerPage, secondsPerPage, duration);
    if (next !== params.start) this.pages.prefetch({ ...params, start: next });
    if (prev !== params.start) this.pages.prefetch({ ...params, start: prev });
    this.scheduleAnalysis();
  }

  private theme(): Theme {
    const dpr = window.devicePixelRatio || 1;
    const family = themeColor('--vscode-editor-font-family', 'monospace');
    return {
      background: themeColor('--vscode-editor-background', '#1e1e1e'),
      foreground: themeColor('--vscode-editor-foreground', '#cccccc'),
      trace: themeColor('--vscode-editor-foreground', '#cccccc'),
      grid: themeColor(
        '--vscode-editorIndentGuide-background1',
        themeColor('--vscode-panel-border', '#444444'),
      ),
      annotation: themeColor('--vscode-charts-orange', '#d18616'),
      gap: themeColor('--vscode-disabledForeground', '#888888'),
      font: `${Math.round(11 * dpr)}px ${family}`,
    };
  }

  /** Draws the page shown (synchronously; the redraw time is reported in the status line). */
  private redraw(fetchMs?: number): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const page = this.shown;
      if (!page) return;
      const canvas = $<HTMLCanvasElement>('traces');
      const view = { ...this.view(), start: page.params.start, duration: page.params.duration };
      if (canvas.width !== view.width) canvas.width = view.width;
      if (canvas.height !== view.height) canvas.height = view.height;
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx) return;
      const marks: PageMarks = { annotations: this.annotations, gaps: page.gaps, highlight: this.highlight };
      const t0 = performance.now();
      if (!this.pixels || this.pixels.fb.width !== view.width || this.pixels.fb.height !== view.height) {
        const fb = createFrameBuffer(view.width, view.height);
        this.pixels = { fb, image: new ImageData(fb.bytes, view.width, view.height) };
      }
      const rect = drawPage(ctx, this.pixels, page.traces, view, marks, this.theme(), this.buffers);
      this.lastDrawMs = performance.now() - t0;
      this.drawTrack(rect);
      const channels = page.traces.length;
      const fetched = fetchMs !== undefined ? ` · fetched in ${Math.round(fetchMs)} ms` : '';
      this.status(
        `${channels} channel${channels === 1 ? '' : 's'} · ${page.params.columns} columns · drawn in ${this.lastDrawMs.toFixed(1)} ms${fetched}`,
      );
      canvas.dataset.drawnStart = String(page.params.start);
    });
  }

  // ───────────── side panels ─────────────

  private renderAnnotations(): void {
    const list = $('annotations');
    list.replaceChildren();
    if (this.annotations.length === 0) {
      const li = document.createElement('li');
      li.className = 'notice';
      li.textContent = 'No annotations in this recording.';
      list.append(li);
      return;
    }
    this.annotations.forEach((a, i) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.className = 'link annotation';
      button.dataset.index = String(i);
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = formatClock(a.onset, true);
      button.append(time, a.text || '(no text)');
      if (a.duration > 0) button.title = `${a.duration} s`;
      button.addEventListener('click', () => {
        this.highlight = i;
        for (const b of list.querySelectorAll('button')) b.setAttribute('aria-current', String(b === button));
        this.setState({ start: startShowing(a.onset, this.state, this.rec.duration) });
      });
      li.append(button);
      list.append(li);
    });
  }

  private renderChannels(): void {
    const box = $('channels');
    box.replaceChildren();
    const labels = this.available[this.state.montage] ?? [];
    const hidden = new Set(this.state.hidden[this.state.montage] ?? []);
    for (const label of labels) {
      const cb = document.createElement('vscode-checkbox') as CheckboxEl;
      cb.label = label;
      cb.textContent = label;
      cb.checked = !hidden.has(label);
      cb.addEventListener('change', () => {
        const next = new Set(this.state.hidden[this.state.montage] ?? []);
        if (cb.checked) next.delete(label);
        else next.add(label);
        this.setHidden(labels.filter((l) => next.has(l)));
      });
      const row = document.createElement('div');
      row.append(cb);
      box.append(row);
    }
  }

  /** Spectrum and band power follow the visible page while their tab is open. */
  private scheduleAnalysis(): void {
    if (this.state.sideTab !== 'spectrum') return;
    if (this.analysisTimer) clearTimeout(this.analysisTimer);
    this.analysisTimer = setTimeout(() => void this.analyse(), 250);
  }

  private async analyse(): Promise<void> {
    this.analysisAbort?.abort();
    const abort = (this.analysisAbort = new AbortController());
    const p = this.paramsAt(this.state.start);
    const shown = p.channels ?? this.available[this.state.montage] ?? this.rec.signals.map((s) => s.label);
    const { channels, left } = oneRateChannels(shown, this.rec.signals);
    const params = { start: p.start, duration: p.duration, channels, montage: p.montage, filters: p.filters };
    const leftOut = left ? ` (${left} channel${left === 1 ? '' : 's'} at another sample rate left out)` : '';
    const range = `${formatClock(p.start)}–${formatClock(p.start + p.duration)}`;
    const failed = (id: string, e: unknown): void => {
      if (e instanceof RequestFailed && e.cancelled) return;
      $(id).className = 'notice error';
      $(id).textContent = `Not available: ${e instanceof Error ? e.message : String(e)}`;
    };
    const spectrum = this.conn.request('spectrum', params, { signal: abort.signal }).then((s) => {
      const { canvas, ctx, dpr } = fitCanvas('spectrum');
      if (!ctx) return;
      const theme = this.theme();
      drawSpectrum(
        ctx,
        { width: canvas.width, height: canvas.height, dpr },
        decodeFloat32(s.frequencies),
        s.channels.map((c) => decodeFloat32(c.psd)),
        s.channels[0]?.unit ?? '',
        { ...theme, line: themeColor('--vscode-charts-blue', theme.trace) },
      );
      $('spectrumNote').className = 'notice';
      $('spectrumNote').textContent = `PSD (Welch) of ${range}, ${s.channels.length} channels${leftOut}.`;
    });
    const bands = this.conn.request('bands', params, { signal: abort.signal }).then((b) => {
      $('bandsNote').className = 'notice';
      $('bandsNote').textContent =
        `Relative band power of ${range}${leftOut}; strongest band per channel highlighted.`;
      this.renderBands(b.channels);
    });
    await Promise.all([
      spectrum.catch((e: unknown) => failed('spectrumNote', e)),
      bands.catch((e: unknown) => failed('bandsNote', e)),
    ]);
  }

  private renderBands(channels: EegBands['channels']): void {
    const table = $('bands');
    table.replaceChildren();
    if (channels.length === 0) return;
    const head = document.createElement('tr');
    const corner = document.createElement('th');
    corner.textContent = 'Channel';
    head.append(corner);
    for (const b of channels[0].bands) {
      const th = document.createElement('th');
      th.textContent = b.band;
      th.title = `${b.low}–${b.high} Hz`;
      head.append(th);
    }
    table.append(head);
    for (const c of channels) {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      name.textContent = c.label;
      tr.append(name);
      const strongest = c.bands.reduce((best, b, i) => (b.relative > c.bands[best].relative ? i : best), 0);
      c.bands.forEach((b, i) => {
        const td = document.createElement('td');
        td.textContent = `${(b.relative * 100).toFixed(1)}%`;
        td.title = `${b.band} ${b.low}–${b.high} Hz: ${b.relative.toFixed(4)} of the total, ${b.absolute.toPrecision(3)} absolute`;
        if (i === strongest) td.className = 'strong';
        tr.append(td);
      });
      table.append(tr);
    }
  }

  // ───────────── model ─────────────

  private async loadModels(): Promise<void> {
    const select = $<SelectEl>('model');
    let models: ModelSummary[] = [];
    try {
      models = await this.conn.request('models', {});
    } catch (e) {
      $('modelSummary').textContent = `Models unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
    select.replaceChildren();
    for (const m of models) {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', m.id);
      o.textContent = `${m.name} (${m.task})`;
      select.append(o);
    }
    if (models.length === 0) {
      $('modelSummary').textContent ||= 'No EEG model installed (see the Models view).';
      $<ButtonEl>('runModel').disabled = true;
      return;
    }
    const chosen = models.find((m) => m.id === this.state.model) ?? models[0];
    select.value = chosen.id;
    this.state.model = chosen.id;
  }

  private async runModel(): Promise<void> {
    const model = this.state.model;
    if (!model) return;
    this.predictionAbort?.abort();
    const abort = (this.predictionAbort = new AbortController());
    const progress = $<HTMLElement & { value?: number; indeterminate?: boolean }>('modelProgress');
    progress.hidden = false;
    progress.indeterminate = true;
    $<ButtonEl>('runModel').disabled = true;
    $<ButtonEl>('cancelModel').disabled = false;
    $('modelSummary').textContent = `Running ${model}…`;
    try {
      const p = await this.conn.request(
        'predict',
        { model },
        {
          signal: abort.signal,
          onProgress: (r) => {
            if (r.total) {
              progress.indeterminate = false;
              progress.value = ((r.done ?? 0) / r.total) * 100;
            }
            if (r.message) $('modelSummary').textContent = r.message;
          },
        },
      );
      this.showPrediction(p);
    } catch (e) {
      $('modelSummary').textContent =
        e instanceof RequestFailed && e.cancelled
          ? 'Cancelled.'
          : `Failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      progress.hidden = true;
      $<ButtonEl>('runModel').disabled = false;
      $<ButtonEl>('cancelModel').disabled = true;
    }
  }

  private showPrediction(p: EegPrediction): void {
    this.prediction = p;
    $<ButtonEl>('explainModel').disabled = false;
    this.trackLabel = defaultTrackLabel(p);
    const select = $<SelectEl>('trackLabel');
    select.replaceChildren();
    p.labels.forEach((label, i) => {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', String(i));
      o.textContent = label;
      select.append(o);
    });
    select.value = String(this.trackLabel);
    const summary = $('modelSummary');
    summary.replaceChildren();
    const lines = [
      `${p.model} (${p.task}) · ${p.windows.length} windows`,
      `Recording: ${p.labels.map((l, i) => `${l} ${(p.probabilities[i] * 100).toFixed(1)} %`).join(', ')}`,
      ...(p.spread
        ? [`Spread: sd ${p.spread.std.toFixed(3)}, IQR ${p.spread.q25.toFixed(3)}–${p.spread.q75.toFixed(3)}`]
        : []),
      ...p.notes,
      'Research output, not for clinical use.',
    ];
    for (const line of lines) {
      const div = document.createElement('div');
      div.textContent = line;
      summary.append(div);
    }
    const events = $('events');
    events.replaceChildren();
    for (const e of p.events) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.className = 'link';
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = formatClock(e.start, true);
      button.append(time, `${e.label} ${(e.probability * 100).toFixed(0)} % (${e.duration.toFixed(1)} s)`);
      button.addEventListener('click', () =>
        this.setState({ start: startShowing(e.start, this.state, this.rec.duration) }),
      );
      li.append(button);
      events.append(li);
    }
    $('trackBox').hidden = false;
    this.update();
  }

  private drawTrack(traceRect: { x: number; width: number }): void {
    const p = this.prediction;
    if (!p) return;
    const { canvas, ctx, dpr } = fitCanvas('track');
    if (!ctx) return;
    const theme = this.theme();
    drawTrack(
      ctx,
      p,
      this.trackLabel,
      { start: this.state.start, duration: this.state.secondsPerPage },
      { x: traceRect.x, y: 4 * dpr, width: traceRect.width, height: canvas.height - 8 * dpr },
      { width: canvas.width, height: canvas.height, dpr },
      {
        ...theme,
        line: themeColor('--vscode-charts-red', theme.trace),
        event: themeColor('--vscode-charts-red', theme.annotation),
      },
    );
  }

  private status(text: string, error = false): void {
    const el = $('status');
    el.textContent = text;
    el.classList.toggle('error', error);
  }
}

new Viewer();
