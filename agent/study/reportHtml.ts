/**
 * Self-contained HTML reports (one file: inline CSS and SVG, no script, no remote content; a
 * Content-Security-Policy forbids loading anything except data: images). Every text from data
 * is escaped. The banner says what this is: research software, not for clinical use.
 */
import type { MetricsReport, PairedReport, StudyEstimate, StudyPairedStats } from '../protocol';
import { escapeHtml as esc } from './escapeHtml';
import { formatCi, formatEstimate, formatNumber, formatP, overallEstimates } from './formatEstimate';
import { rocSvg, type SvgCurve } from './rocSvg';

export const NOT_FOR_CLINICAL_USE = 'Research software, not for clinical use.';

export interface HtmlOptions {
  /** Heading, e.g. the model name. */
  title?: string;
  /** Where the numbers come from (e.g. the results file name), shown under the heading. */
  source?: string;
  /** Paired reports: a data: URL thumbnail for a case id (disagreements show it). */
  thumbnail?: (id: string) => string | undefined;
  /** Paired reports: disagreements listed at most (default 500). */
  maxDisagreements?: number;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1300px;padding:0 16px;color:#222}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px;font-weight:600}
h1{font-size:22px;margin:16px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:18px 0 6px}.meta{color:#555}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top;white-space:nowrap}
th:first-child,td:first-child{text-align:left}thead th{background:#f3f3f3}
td.small{color:#8a4b00}ul.warn li{color:#8a4b00}.svgs{display:flex;flex-wrap:wrap;gap:16px}.wide{overflow-x:auto}
figure{margin:0}figcaption{font-weight:600;margin:4px 0}img.thumb{max-width:96px;max-height:96px}.note{color:#666;font-size:12px}
`;

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<div class="banner">${NOT_FOR_CLINICAL_USE} MedLab metrics describe these cases only; they are not evidence of clinical performance.</div>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}

function cell(e: StudyEstimate): string {
  const title = [
    `n = ${e.n}`,
    e.count !== undefined ? `count = ${e.count}` : '',
    e.method ?? '',
    e.note ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  return `<td title="${esc(title)}">${esc(formatEstimate(e))}</td>`;
}

function estimateRow(name: string, e: StudyEstimate): string {
  return `<tr><td>${esc(name)}</td><td>${esc(formatNumber(e.value))}</td><td>${esc(formatCi(e.ci))}</td><td>${e.n}</td><td>${esc(e.method ?? '')}</td><td class="note">${esc(e.note ?? '')}</td></tr>`;
}

function table(head: string[], rows: string[]): string {
  return `<div class="wide"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function warnings(list: readonly string[]): string {
  return list.length ? `<ul class="warn">${list.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
}

function overallTable(r: MetricsReport): string {
  const pct = `${Math.round(r.confidence * 100)} % CI`;
  return table(
    ['metric', 'value', pct, 'n', 'CI method', 'note'],
    overallEstimates(r).map(([name, e]) => estimateRow(name, e)),
  );
}

function classTable(r: MetricsReport): string {
  return table(
    ['class', 'support', 'sensitivity', 'specificity', 'PPV', 'NPV', 'F1', 'AUROC'],
    r.classes.map(
      (c) =>
        `<tr><td>${esc(c.label)}</td><td>${c.support}</td>${cell(c.sensitivity)}${cell(c.specificity)}${cell(c.ppv)}${cell(c.npv)}${cell(c.f1)}${c.auroc ? cell(c.auroc) : '<td>n/a</td>'}</tr>`,
    ),
  );
}

function confusionTable(r: MetricsReport): string {
  const head = ['true \\ predicted', ...r.labels, 'total'];
  const rows = r.confusion.map(
    (row, i) =>
      `<tr><th>${esc(r.labels[i])}</th>${row.map((v, j) => `<td${i === j ? ' style="font-weight:600"' : ''}>${v}</td>`).join('')}<td>${row.reduce((s, v) => s + v, 0)}</td></tr>`,
  );
  return table(head, rows);
}

function rocCurves(r: MetricsReport, dashed = false): SvgCurve[] {
  return r.classes
    .filter((c) => c.auroc && c.auroc.value !== null)
    .map((c) => ({
      name: c.label,
      points: c.auroc!.curve,
      legend: `AUROC ${formatEstimate(c.auroc!)}, ${c.auroc!.positives} pos / ${c.auroc!.negatives} neg`,
      dashed,
    }));
}

function exclusions(r: MetricsReport): string {
  const e = r.excluded;
  return `${r.rows} rows; ${r.n} cases used (${r.scored} with probabilities); left out: ${e.errored} errored, ${e.unlabelled} unlabelled, ${e.unknownLabel} unknown label, ${e.noPrediction} without prediction, ${e.unknownPrediction} unknown prediction.`;
}

function subgroupTables(r: MetricsReport): string {
  return r.subgroups
    .map((t) => {
      const rows = t.groups.map((g) => {
        const m = g.metrics;
        const sens = m.classes.map((c) => cell(c.sensitivity)).join('');
        const flag = g.small ? `<td class="small">small (n &lt; ${r.minCases})</td>` : '<td></td>';
        return `<tr><td>${esc(g.value)}</td><td>${g.rows}</td><td>${g.n}</td>${cell(m.accuracy)}${cell(m.balancedAccuracy)}${cell(m.macro.f1)}${cell(m.macro.auroc)}${sens}${flag}</tr>`;
      });
      const head = [
        t.column,
        'rows',
        'n',
        'accuracy',
        'balanced acc.',
        'macro F1',
        'macro AUROC',
        ...r.labels.map((l) => `sensitivity ${l}`),
        '',
      ];
      return `<h3>By ${esc(t.column)}</h3>${table(head, rows)}`;
    })
    .join('');
}

function methods(r: MetricsReport): string {
  const pct = Math.round(r.confidence * 100);
  return `<h2>Methods</h2><p class="note">Proportions (accuracy, sensitivity, specificity, PPV, NPV): Wilson score ${pct} % intervals.
AUROC: one-vs-rest on each class's probability, ties counted ½ (scikit-learn roc_auc_score); ${pct} % interval by DeLong's method (DeLong et al. 1988), AUC ± z·SE clipped to [0, 1].
F1, balanced accuracy and macro averages: stratified percentile bootstrap, ${r.bootstrap.replicates} replicates, seed ${r.bootstrap.seed} (resampling within each true class).
Macro averages are unweighted means over the classes where the metric is defined. Undefined metrics are shown as n/a, never as 0.</p>`;
}

/** A one-model metrics report. */
export function metricsHtml(r: MetricsReport, options: HtmlOptions = {}): string {
  const title = options.title ?? 'MedLab metrics';
  const curves = rocCurves(r);
  const body = [
    `<h1>${esc(title)}</h1>`,
    options.source ? `<p class="meta">${esc(options.source)}</p>` : '',
    `<p class="meta">${esc(exclusions(r))}</p>`,
    warnings(r.warnings),
    '<h2>Overall</h2>',
    overallTable(r),
    '<h2>Per class</h2>',
    classTable(r),
    '<h2>Confusion matrix</h2>',
    confusionTable(r),
    curves.length ? `<h2>ROC curves (one-vs-rest)</h2>${rocSvg(curves, `${title}: ROC curves`)}` : '',
    r.subgroups.length ? '<h2>Subgroups</h2>' + subgroupTables(r) : '',
    methods(r),
  ].join('\n');
  return page(title, body);
}

function pairedStatsRows(s: StudyPairedStats): string[] {
  const m = s.mcnemar;
  return [
    estimateRow('agreement', s.agreement),
    estimateRow("Cohen's kappa", s.kappa),
    estimateRow('accuracy difference (A − B)', s.accuracyDifference),
    `<tr><td>McNemar: only A right / only B right</td><td>${m.aOnly} / ${m.bOnly}</td><td colspan="4">exact p = ${esc(formatP(m.exactP))}; χ² (continuity-corrected) = ${m.chiSquare.toFixed(3)}, p = ${esc(formatP(m.chiSquareP))}</td></tr>`,
    ...s.auroc.map(
      (a) =>
        `<tr><td>AUROC ${esc(a.label)}: A − B</td><td>${esc(formatNumber(a.difference.value))}</td><td>${esc(formatCi(a.difference.ci))}</td><td>${a.n}</td><td>DeLong</td><td class="note">p = ${esc(formatP(a.p))}${a.difference.note ? '; ' + esc(a.difference.note) : ''}</td></tr>`,
    ),
  ];
}

function sideBySide(r: PairedReport): string {
  const [na, nb] = r.names;
  const row = (name: string, a: StudyEstimate, b: StudyEstimate) =>
    `<tr><td>${esc(name)}</td>${cell(a)}${cell(b)}</tr>`;
  const rows = [
    row('accuracy', r.a.accuracy, r.b.accuracy),
    row('balanced accuracy', r.a.balancedAccuracy, r.b.balancedAccuracy),
    row('macro F1', r.a.macro.f1, r.b.macro.f1),
    row('macro AUROC', r.a.macro.auroc, r.b.macro.auroc),
  ];
  r.labels.forEach((l, i) => {
    const a = r.a.classes[i];
    const b = r.b.classes[i];
    rows.push(row(`${l}: sensitivity`, a.sensitivity, b.sensitivity));
    rows.push(row(`${l}: specificity`, a.specificity, b.specificity));
    rows.push(row(`${l}: PPV`, a.ppv, b.ppv));
    rows.push(row(`${l}: NPV`, a.npv, b.npv));
    rows.push(row(`${l}: F1`, a.f1, b.f1));
    if (a.auroc || b.auroc) {
      const none: StudyEstimate = { value: null, ci: null, n: 0, method: null, note: 'no probabilities' };
      rows.push(row(`${l}: AUROC`, a.auroc ?? none, b.auroc ?? none));
    }
  });
  rows.push(
    row(
      'accuracy, failed rows counted wrong (all rows)',
      r.coverage.a.accuracyIncludingFailures,
      r.coverage.b.accuracyIncludingFailures,
    ),
  );
  return table(['metric', na, nb], rows);
}

function disagreementTable(r: PairedReport, options: HtmlOptions): string {
  const max = options.maxDisagreements ?? 500;
  const shown = r.disagreements.slice(0, max);
  const [na, nb] = r.names;
  const rows = shown.map((d) => {
    const src = d.id !== undefined ? options.thumbnail?.(d.id) : undefined;
    const img =
      src && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(src)
        ? `<img class="thumb" alt="" src="${src}">`
        : '';
    const sg = d.subgroups
      ? Object.entries(d.subgroups)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')
      : '';
    return `<tr><td>${esc(d.id ?? `row ${d.index}`)}</td><td>${img}</td><td>${esc(d.label)}</td><td>${esc(d.a)}${d.aCorrect ? ' ✓' : ''}</td><td>${esc(d.b)}${d.bCorrect ? ' ✓' : ''}</td><td>${esc(sg)}</td></tr>`;
  });
  const more =
    r.disagreements.length > shown.length
      ? `<p class="note">${r.disagreements.length - shown.length} more in the JSON/CSV.</p>`
      : '';
  return table(['case', 'image', 'label', na, nb, 'subgroups'], rows) + more;
}

/** A two-model comparison report. */
export function pairedHtml(r: PairedReport, options: HtmlOptions = {}): string {
  const [na, nb] = r.names;
  const title = options.title ?? `MedLab comparison: ${na} vs ${nb}`;
  const curves = r.labels.map((label, i) => {
    const list: SvgCurve[] = [];
    const a = r.a.classes[i].auroc;
    const b = r.b.classes[i].auroc;
    if (a && a.value !== null) list.push({ name: na, points: a.curve, legend: `AUROC ${formatEstimate(a)}` });
    if (b && b.value !== null)
      list.push({ name: nb, points: b.curve, legend: `AUROC ${formatEstimate(b)}`, dashed: true });
    return list.length
      ? `<figure><figcaption>${esc(label)} vs rest</figcaption>${rocSvg(list, `${label} vs rest`)}</figure>`
      : '';
  });
  const subgroups = r.subgroups
    .map((t) => {
      const rows = t.groups.map((g) => {
        const s = g.stats;
        return `<tr><td>${esc(g.value)}</td><td>${g.n}</td>${cell(s.agreement)}${cell(s.kappa)}${cell(s.accuracyDifference)}<td>${s.mcnemar.aOnly} / ${s.mcnemar.bOnly}</td><td>${esc(formatP(s.mcnemar.exactP))}</td><td class="small">${g.small ? 'small' : ''}</td></tr>`;
      });
      const metrics = r.a.subgroups.find((x) => x.column === t.column);
      const metricsB = r.b.subgroups.find((x) => x.column === t.column);
      const side = metrics
        ? table(
            [t.column, 'n', `${na} accuracy`, `${nb} accuracy`, `${na} macro AUROC`, `${nb} macro AUROC`],
            metrics.groups.map((g, i) => {
              const gb = metricsB!.groups[i];
              return `<tr><td>${esc(g.value)}</td><td>${g.n}</td>${cell(g.metrics.accuracy)}${cell(gb.metrics.accuracy)}${cell(g.metrics.macro.auroc)}${cell(gb.metrics.macro.auroc)}</tr>`;
            }),
          )
        : '';
      return `<h3>By ${esc(t.column)}</h3>${side}${table([t.column, 'n', 'agreement', 'kappa', 'accuracy A − B', 'only A / only B right', 'McNemar exact p', ''], rows)}`;
    })
    .join('');
  const body = [
    `<h1>${esc(title)}</h1>`,
    options.source ? `<p class="meta">${esc(options.source)}</p>` : '',
    `<p class="meta">${r.rows} rows; ${r.paired.n} paired cases (usable for both models). A = ${esc(na)}, B = ${esc(nb)}.</p>`,
    warnings(r.warnings),
    '<h2>Side by side (same cases)</h2>',
    sideBySide(r),
    '<h2>Paired statistics</h2>',
    table(
      ['statistic', 'value', `${Math.round(r.confidence * 100)} % CI`, 'n', 'method', 'note'],
      pairedStatsRows(r.paired),
    ),
    `<h2>ROC curves (one-vs-rest; ${esc(na)} solid, ${esc(nb)} dashed)</h2>`,
    `<div class="svgs">${curves.join('')}</div>`,
    `<h2>Confusion matrices</h2><h3>${esc(na)}</h3>${confusionTable(r.a)}<h3>${esc(nb)}</h3>${confusionTable(r.b)}`,
    r.subgroups.length ? `<h2>Subgroups</h2>${subgroups}` : '',
    `<h2>Disagreements (${r.disagreements.length})</h2>`,
    disagreementTable(r, options),
    methods(r.a) +
      `<p class="note">Cohen's kappa with the Fleiss, Cohen &amp; Everitt (1969) standard error; McNemar's test on paired correctness (exact binomial and continuity-corrected χ²); AUROC differences by DeLong's paired test; accuracy difference by a paired stratified bootstrap.</p>`,
  ].join('\n');
  return page(title, body);
}
