/**
 * Diagnosis report webview: progress with Cancel while the agent works, then the results table
 * (thumbnail, file, label, prediction, probabilities; heat map on click), the metrics (confusion
 * matrix, ROC curves with AUROC and CI, per-class and per-subgroup tables), exports and Explain.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { MetricsReport, StudyClassMetrics } from '../../agent/protocol';
import { $, el } from '../common/dom';
import { adoptStyles } from '../common/styles';
import { PanelConnection, RequestFailed } from '../common/vscodeApi';
import { REPORT_MARKUP } from './layout';
import type {
  ExportFormat,
  ReportEvent,
  ReportNotice,
  ReportRequests,
  ReportResult,
  ReportRow,
} from './messages';
import {
  confusionShares,
  filterRows,
  formatEstimate,
  formatPercent,
  probabilityList,
  rocPath,
  rowStatus,
  type RowFilter,
} from './reportView';
import css from './style.css';

type SelectEl = HTMLElement & { value: string };
type CheckboxEl = HTMLElement & { checked: boolean };
type ProgressEl = HTMLElement & { value: number; indeterminate: boolean };
type ButtonEl = HTMLElement & { disabled: boolean };

const PAGE_ROWS = 200;

/** A metrics table with its header row. */
function gridTable(id: string | undefined, label: string, headers: string[]): HTMLTableElement {
  const t = el('table', undefined, 'grid');
  if (id) t.id = id;
  t.setAttribute('aria-label', label);
  const head = el('tr');
  for (const h of headers) head.append(el('th', h));
  t.append(head);
  return t;
}

class Report {
  private readonly conn = new PanelConnection<ReportRequests, ReportEvent, ReportNotice>();
  private result: ReportResult | undefined;
  private visible: ReportRow[] = [];
  private shownRows = PAGE_ROWS;
  private selected: ReportRow | undefined;
  private heatmaps = new Map<string, string>();

  constructor() {
    adoptStyles(css);
    document.body.innerHTML = REPORT_MARKUP;
    this.bind();
    this.conn.onEvent((ev) => this.onEvent(ev));
    this.conn.notify({ type: 'ready' });
  }

  private bind(): void {
    $('cancel').addEventListener('click', () => this.conn.notify({ type: 'cancelRun' }));
    $('rerun').addEventListener('click', () => this.conn.notify({ type: 'rerun' }));
    for (const [id, format] of [
      ['exportCsv', 'csv'],
      ['exportJson', 'json'],
      ['exportMetrics', 'metrics'],
    ] as [string, ExportFormat][]) {
      $(id).addEventListener('click', () => void this.export(format));
    }
    $('filter').addEventListener('input', () => this.applyFilter());
    $('filterKind').addEventListener('change', () => this.applyFilter());
    $('more').addEventListener('click', () => {
      this.shownRows += PAGE_ROWS;
      this.renderRows();
    });
    $('overlay').addEventListener('change', () => void this.renderDetail());
    $('opacity').addEventListener('input', () => {
      const overlay = document.querySelector<HTMLImageElement>('#stack img.overlay');
      if (overlay) overlay.style.opacity = $<HTMLInputElement>('opacity').value;
    });
    $('explain').addEventListener('click', () => void this.explain());
    $('openImage').addEventListener('click', () => {
      if (this.selected)
        void this.conn.request('openImage', { path: this.selected.path }).catch(() => undefined);
    });
    $('closeDetail').addEventListener('click', () => this.select(undefined));
  }

  private onEvent(ev: ReportEvent): void {
    switch (ev.type) {
      case 'started':
        this.result = undefined;
        $('title').textContent = `Diagnosis: ${ev.datasetName} · ${ev.model}`;
        $('progressBox').hidden = false;
        $('resultBox').hidden = true;
        $('failure').textContent = '';
        $('progressText').textContent = 'Starting…';
        $<ProgressEl>('progress').indeterminate = true;
        $<ButtonEl>('cancel').disabled = false;
        break;
      case 'runProgress': {
        const { done, total, message } = ev.report;
        const bar = $<ProgressEl>('progress');
        if (total) {
          bar.indeterminate = false;
          bar.value = ((done ?? 0) / total) * 100;
        }
        $('progressText').textContent = [total ? `${done ?? 0} / ${total} images` : '', message ?? '']
          .filter(Boolean)
          .join(' · ');
        break;
      }
      case 'cancelling':
        $('progressText').textContent = 'Cancelling…';
        $<ButtonEl>('cancel').disabled = true;
        break;
      case 'failed':
        $('progressBox').hidden = true;
        $('failure').textContent =
          ev.code === 'E_CANCELLED' ? ev.message : `Diagnosis failed: ${ev.message} (${ev.code})`;
        break;
      case 'result':
        this.show(ev.result);
        break;
    }
  }

  private show(r: ReportResult): void {
    this.result = r;
    this.heatmaps.clear();
    $('progressBox').hidden = true;
    $('failure').textContent = '';
    $('resultBox').hidden = false;
    $('title').textContent = `Diagnosis: ${r.datasetName} · ${r.model}`;
    const summary = $('summary');
    summary.replaceChildren();
    const c = r.counts;
    const parts = [
      `${c.images} images`,
      `${c.computed} diagnosed now, ${c.cached} from cache`,
      `${c.errors} error${c.errors === 1 ? '' : 's'}`,
      `${c.labelled} labelled`,
    ];
    if (c.skipped) parts.push(`${c.skipped} non-image files skipped`);
    if (r.imagesPerSecond !== null && r.seconds !== null)
      parts.push(`${r.seconds.toFixed(1)} s (${r.imagesPerSecond.toFixed(1)} images/s)`);
    if (r.executionProvider) parts.push(`on ${r.executionProvider.active.toUpperCase()}`);
    for (const p of parts) summary.append(el('span', p));
    if (!r.complete) summary.append(el('span', 'Partial: the run was cancelled.', 'warning'));
    if (r.rowsTruncated)
      summary.append(el('span', 'Only the first rows are shown; export for all.', 'warning'));
    this.select(undefined);
    this.applyFilter();
    this.renderMetrics(r.metrics, r.metricsNote);
  }

  // ───────────── results table ─────────────

  private applyFilter(): void {
    if (!this.result) return;
    const kind = ($<SelectEl>('filterKind').value || 'all') as RowFilter;
    this.visible = filterRows(this.result.rows, kind, $<SelectEl>('filter').value ?? '');
    this.shownRows = PAGE_ROWS;
    this.renderRows();
  }

  private renderRows(): void {
    const body = $('results').querySelector('tbody')!;
    body.replaceChildren();
    const rows = this.visible.slice(0, this.shownRows);
    for (const r of rows) body.append(this.rowElement(r));
    $('rowCount').textContent = `${rows.length} of ${this.visible.length} rows`;
    $('more').hidden = this.visible.length <= this.shownRows;
  }

  private rowElement(r: ReportRow): HTMLTableRowElement {
    const tr = el('tr');
    tr.className = rowStatus(r);
    tr.tabIndex = 0;
    tr.dataset.path = r.path;
    tr.setAttribute('aria-selected', String(this.selected === r));
    const thumb = el('td');
    if (r.imageUri) {
      const img = el('img');
      img.className = 'thumb';
      img.loading = 'lazy';
      img.alt = '';
      img.src = r.imageUri;
      thumb.append(img);
    } else thumb.append(el('div', /\.(dcm|dicom)$/i.test(r.path) ? 'DICOM' : 'no preview', 'thumb-none'));
    const probs = el('td', undefined, 'probs');
    for (const { label, p } of probabilityList(r.probabilities).slice(0, 3)) {
      const line = el('div', `${label} ${formatPercent(p)}`);
      const bar = el('span', undefined, 'bar');
      bar.style.width = `${Math.round(p * 60)}px`;
      line.append(bar);
      probs.append(line);
    }
    if (r.error) probs.append(el('div', `${r.error.code}: ${r.error.message}`, 'error'));
    const actions = el('td');
    const explain = el('button', 'Explain');
    explain.className = 'link';
    explain.addEventListener('click', (e) => {
      e.stopPropagation();
      this.select(r);
      void this.explain();
    });
    actions.append(explain);
    tr.append(
      thumb,
      el('td', r.path, 'file'),
      el('td', r.label ?? '—'),
      el('td', r.prediction ?? '—', 'prediction'),
      probs,
      actions,
    );
    tr.addEventListener('click', () => this.select(r));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.select(r);
      }
    });
    return tr;
  }

  private select(r: ReportRow | undefined): void {
    this.selected = r;
    for (const tr of $('results').querySelectorAll('tbody tr')) {
      tr.setAttribute(
        'aria-selected',
        String(r !== undefined && (tr as HTMLElement).dataset.path === r.path),
      );
    }
    $('detail').hidden = !r;
    if (r) {
      $('detailTitle').textContent =
        `${r.path} — ${r.prediction ?? 'no prediction'}${r.label ? ` (label ${r.label})` : ''}`;
      $<CheckboxEl>('overlay').checked = true;
      void this.renderDetail();
    }
  }

  /** The selected image, with its heat map laid over it when the box is checked. */
  private async renderDetail(): Promise<void> {
    const r = this.selected;
    if (!r) return;
    const stack = $('stack');
    stack.replaceChildren();
    $('detailNote').textContent = '';
    if (r.imageUri) {
      const img = el('img');
      img.src = r.imageUri;
      img.alt = r.path;
      stack.append(img);
    }
    if (!$<CheckboxEl>('overlay').checked || r.error) return;
    let src = r.heatmapUri ?? this.heatmaps.get(r.path);
    if (!src) {
      $('detailNote').textContent = 'Computing heat map…';
      try {
        const h = await this.conn.request('heatmap', { path: r.path });
        src = `data:image/png;base64,${h.png}`;
        this.heatmaps.set(r.path, src);
        $('detailNote').textContent = `Heat map for ${h.label}.`;
      } catch (e) {
        $('detailNote').textContent = `No heat map: ${e instanceof Error ? e.message : String(e)}`;
        return;
      }
      if (this.selected !== r) return;
    }
    const overlay = el('img');
    overlay.className = r.imageUri ? 'overlay' : '';
    overlay.alt = `Heat map of ${r.path}`;
    overlay.src = src;
    overlay.style.opacity = r.imageUri ? $<HTMLInputElement>('opacity').value : '1';
    stack.append(overlay);
  }

  private async explain(): Promise<void> {
    const r = this.selected;
    if (!r) return;
    $('detailNote').textContent = 'Asking for an explanation…';
    try {
      const res = await this.conn.request('explain', { path: r.path });
      $('detailNote').textContent = res.message;
    } catch (e) {
      $('detailNote').textContent = `Explain failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    const status = $('exportStatus');
    status.textContent = '';
    try {
      const { saved } = await this.conn.request('export', { format });
      status.textContent = saved ? `Saved ${saved}` : '';
    } catch (e) {
      status.textContent = e instanceof RequestFailed ? e.message : String(e);
    }
  }

  // ───────────── metrics ─────────────

  private renderMetrics(m: MetricsReport | null, note: string | undefined): void {
    const box = $('metrics');
    box.replaceChildren();
    $('metricsNote').textContent = note ?? '';
    if (!m) return;
    const overview = el('table');
    overview.className = 'grid';
    overview.setAttribute('aria-label', 'Overall metrics');
    const addRow = (name: string, value: string): void => {
      const tr = el('tr');
      tr.append(el('th', name), el('td', value, 'num'));
      overview.append(tr);
    };
    addRow('Cases (n)', `${m.n} of ${m.rows} rows`);
    addRow('Accuracy', formatEstimate(m.accuracy));
    addRow('Accuracy, failures counted wrong', formatEstimate(m.accuracyIncludingFailures));
    addRow('Balanced accuracy', formatEstimate(m.balancedAccuracy));
    addRow('Macro AUROC', formatEstimate(m.macro.auroc));
    addRow('Macro sensitivity', formatEstimate(m.macro.sensitivity));
    addRow('Macro specificity', formatEstimate(m.macro.specificity));
    addRow('Macro F1', formatEstimate(m.macro.f1));
    const ex = m.excluded;
    addRow(
      'Excluded',
      `${ex.errored} errors, ${ex.unlabelled} unlabelled, ${ex.unknownLabel} unknown label, ${ex.noPrediction + ex.unknownPrediction} without a valid prediction`,
    );
    box.append(el('h2', `Overall (${Math.round(m.confidence * 100)} % CI)`), overview);
    for (const w of m.warnings) box.append(el('div', w, 'warning'));
    if (m.small && m.warnings.length === 0)
      box.append(el('div', 'Few cases: these estimates are unstable.', 'warning'));

    box.append(el('h2', 'Confusion matrix (rows: true class, columns: predicted)'), this.confusionTable(m));
    box.append(el('h2', 'ROC curves (one-vs-rest)'), this.rocFigure(m.classes));
    box.append(el('h2', 'Per class'), this.classTable(m.classes));
    for (const table of m.subgroups) {
      box.append(el('h2', `By ${table.column}`), this.subgroupTable(table.groups));
    }
  }

  private confusionTable(m: MetricsReport): HTMLTableElement {
    const t = gridTable('confusion', 'Confusion matrix', ['true \\ predicted', ...m.labels]);
    const shares = confusionShares(m.confusion);
    m.confusion.forEach((row, i) => {
      const tr = el('tr');
      tr.append(el('th', m.labels[i]));
      row.forEach((v, j) => {
        const td = el('td', undefined, i === j ? 'cm diag' : 'cm');
        const cell = el('span', String(v), 'cm-cell');
        cell.style.setProperty('--share', String(shares[i][j]));
        cell.title = `${formatPercent(shares[i][j])} of true ${m.labels[i]}`;
        td.append(cell);
        tr.append(td);
      });
      t.append(tr);
    });
    return t;
  }

  private rocFigure(classes: StudyClassMetrics[]): HTMLElement {
    const size = 320;
    const pad = 30;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'roc');
    svg.setAttribute('id', 'roc');
    svg.setAttribute('width', String(size));
    svg.setAttribute('height', String(size));
    svg.setAttribute('role', 'img');
    const add = (tag: string, attrs: Record<string, string>, text?: string): void => {
      const e = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      if (text) e.textContent = text;
      svg.append(e);
    };
    add('rect', {
      x: String(pad),
      y: String(pad),
      width: String(size - 2 * pad),
      height: String(size - 2 * pad),
      class: 'axis',
    });
    add('path', { d: `M${pad} ${size - pad} L${size - pad} ${pad}`, class: 'chance' });
    add('text', { x: String(size / 2 - 45), y: String(size - 8) }, 'False positive rate');
    add('text', { x: '4', y: String(pad - 10) }, 'True positive rate');
    const legend = el('div', undefined, 'legend');
    const described: string[] = [];
    classes.forEach((c, i) => {
      if (!c.auroc || c.auroc.curve.length < 2) return;
      add('path', { d: rocPath(c.auroc.curve, size, pad), class: `curve c${i % 6}` });
      const text = `${c.label}: AUROC ${formatEstimate(c.auroc)}`;
      legend.append(el('span', `■ ${text}`, `c${i % 6}`));
      described.push(text);
    });
    svg.setAttribute('aria-label', `ROC curves. ${described.join('; ')}`);
    const box = el('div');
    box.append(svg as unknown as HTMLElement, legend);
    return box;
  }

  private classTable(classes: StudyClassMetrics[]): HTMLTableElement {
    const t = gridTable('classes', 'Per-class metrics', [
      'Class',
      'Support',
      'Sensitivity',
      'Specificity',
      'PPV',
      'NPV',
      'F1',
      'AUROC',
    ]);
    for (const c of classes) {
      const tr = el('tr');
      tr.append(
        el('td', c.label),
        el('td', String(c.support), 'num'),
        ...[c.sensitivity, c.specificity, c.ppv, c.npv, c.f1, c.auroc].map((e) =>
          el('td', formatEstimate(e), 'num'),
        ),
      );
      t.append(tr);
    }
    return t;
  }

  private subgroupTable(groups: MetricsReport['subgroups'][number]['groups']): HTMLTableElement {
    const t = gridTable(undefined, 'Subgroup metrics', [
      'Group',
      'Rows',
      'n',
      'Accuracy',
      'Balanced accuracy',
      'Macro AUROC',
      '',
    ]);
    t.classList.add('subgroup');
    for (const g of groups) {
      const tr = el('tr');
      tr.append(
        el('td', g.value),
        el('td', String(g.rows), 'num'),
        el('td', String(g.n), 'num'),
        el('td', formatEstimate(g.metrics.accuracy), 'num'),
        el('td', formatEstimate(g.metrics.balancedAccuracy), 'num'),
        el('td', g.metrics.macro.auroc.value === null ? '—' : formatEstimate(g.metrics.macro.auroc), 'num'),
        el('td', g.small ? 'few cases' : '', 'warning'),
      );
      t.append(tr);
    }
    return t;
  }
}

new Report();
