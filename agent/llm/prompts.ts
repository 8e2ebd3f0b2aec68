/**
 * Prompts, built from structured results only. Each builder takes typed fields (model, labels,
 * probabilities, heat-map summary, metrics, model-card limits) and never a path, a file name,
 * a header field or a free-text column: there is no way for those to enter a prompt from here.
 * (The privacy gate in deidentify.ts checks the final request anyway.)
 */
import type {
  EegPrediction,
  EegRecordingInfo,
  MetricsReport,
  PairedReport,
  StudyDisagreement,
  StudyEstimate,
  StudyLlmAnswers,
  XrayResultRow,
  XrayResultsFile,
} from '../protocol';

/** Instructions for chat: what MedLab is and what the model must not do. */
export const CHAT_SYSTEM =
  'You assist a medical AI researcher who uses MedLab, a research tool for chest X-ray and EEG models. ' +
  'Nothing here is for clinical use: do not diagnose a person or recommend treatment. When context from ' +
  'MedLab is attached, rely on it and say when it is not enough to answer. Be concise and precise with numbers.';

/** Instructions for explanations. */
export const EXPLAIN_SYSTEM =
  'You help a medical AI researcher understand the output of a research model. The facts come from MedLab, ' +
  'a research tool; they are not a clinical finding. Explain in plain language: what the output says and how ' +
  'confident it is; what the heat map or the events show, if given; what the metrics mean, with their ' +
  'uncertainty; and what the documented limits of the model (shortcuts such as age, hospital or image source) ' +
  'mean for trusting this result. Do not diagnose a person or suggest treatment. If the facts are not enough ' +
  'to say something, say so. At most 250 words.';

/** Subgroup columns that may describe a case in a prompt (others may identify a person). */
export const PROMPT_SUBGROUPS = ['view', 'population', 'source'];

export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

function num(v: number, digits = 3): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** "0.912 (95% CI 0.880–0.938, n = 300)" or "not defined (reason)". */
export function estimate(e: StudyEstimate, confidence = 0.95): string {
  if (e.value === null) return `not defined${e.note ? ` (${e.note})` : ''} (n = ${e.n})`;
  const ci = e.ci ? `${Math.round(confidence * 100)}% CI ${num(e.ci[0])}–${num(e.ci[1])}, ` : '';
  return `${num(e.value)} (${ci}n = ${e.n})`;
}

/**
 * The limits a model card states: the sections whose heading speaks of limits, confounds,
 * caveats, bias or intended use, as short lines (at most `maxChars` in all).
 */
export function modelCardLimits(card: string | null, intendedUse: string, maxChars = 1500): string[] {
  const out: string[] = [];
  if (intendedUse.trim()) out.push(`Intended use: ${intendedUse.trim()}`);
  if (card) {
    let keep = false;
    let level = 0;
    for (const line of card.split(/\r?\n/)) {
      const h = /^(#{1,6})\s+(.*)$/.exec(line);
      if (h) {
        if (keep && h[1].length <= level) keep = false;
        if (
          /limit|confound|caveat|bias|shortcut|not for clinical|intended use|known (issues|problems)|warning/i.test(
            h[2],
          )
        ) {
          keep = true;
          level = h[1].length;
        }
        continue;
      }
      const text = line
        .replace(/^\s*([-*+]|\d+\.)\s+/, '')
        .replace(/[*_`]/g, '')
        .trim();
      if (keep && text) out.push(text);
    }
  }
  const limited: string[] = [];
  let used = 0;
  for (const l of out) {
    if (used + l.length > maxChars) break;
    limited.push(l);
    used += l.length;
  }
  return limited;
}

function limitsBlock(limits: readonly string[]): string[] {
  return limits.length
    ? ['Model card limits:', ...limits.map((l) => `- ${l}`)]
    : ['Model card limits: none given.'];
}

function metricsLines(m: MetricsReport, what: string): string[] {
  const lines = [
    `${what} (n = ${m.n} labelled cases${m.small ? ', few cases: unstable' : ''}):`,
    `- accuracy ${estimate(m.accuracy, m.confidence)}`,
    `- balanced accuracy ${estimate(m.balancedAccuracy, m.confidence)}`,
  ];
  for (const c of m.classes) {
    const auc = c.auroc ? `, AUROC ${estimate(c.auroc, m.confidence)}` : '';
    lines.push(
      `- ${c.label}: sensitivity ${estimate(c.sensitivity, m.confidence)}, specificity ${estimate(c.specificity, m.confidence)}${auc}`,
    );
  }
  return lines;
}

export interface HeatmapFacts {
  /** A structured description of where the activation lies, e.g. "lower left lung zone". */
  summary: string;
}

/** Facts of one X-ray result row. */
export function xrayResultFacts(
  run: Pick<XrayResultsFile, 'model' | 'labels'>,
  row: XrayResultRow,
  extras: { metrics?: MetricsReport | null; limits: readonly string[]; heatmap?: HeatmapFacts | null },
): string {
  const lines = [
    'Task: chest X-ray classification by a research model (not for clinical use).',
    `Model: ${run.model.name} (id ${run.model.id}, version ${run.model.version}).`,
    `Classes: ${run.labels.join(', ')}.`,
  ];
  if (row.error || !row.probabilities) {
    // The code only: messages may name the file.
    lines.push(`The model could not process this image (${row.error?.code ?? 'no output'}).`);
  } else {
    const probs = run.labels
      .map((l) => ({ l, p: row.probabilities?.[l] ?? NaN }))
      .filter((x) => Number.isFinite(x.p))
      .sort((a, b) => b.p - a.p);
    lines.push(`Probabilities: ${probs.map((x) => `${x.l} ${percent(x.p)}`).join(', ')}.`);
    lines.push(`Predicted class: ${row.prediction}.`);
  }
  if (row.label) {
    const agree = row.prediction === null ? '' : row.prediction === row.label ? ' (matches)' : ' (differs)';
    lines.push(`Reference label from the dataset: ${row.label}${agree}.`);
  }
  const groups = PROMPT_SUBGROUPS.filter((c) => row.subgroups?.[c]).map((c) => `${c} ${row.subgroups[c]}`);
  if (groups.length) lines.push(`Image group: ${groups.join(', ')}.`);
  if (extras.heatmap) lines.push(`Heat map (class activation): ${extras.heatmap.summary}.`);
  else if (row.heatmap) lines.push('A class-activation heat map exists, but no summary of it is available.');
  if (extras.metrics)
    lines.push(...metricsLines(extras.metrics, 'Performance of this model on the whole run'));
  lines.push(...limitsBlock(extras.limits));
  return lines.join('\n');
}

/** Technical facts of a recording: never its header identifiers, start date or file name. */
export function eegRecordingFacts(info: EegRecordingInfo): string {
  const rates = [...new Set(info.signals.map((s) => s.sampleRate))].sort((a, b) => a - b);
  const labels = info.signals.map((s) => s.label.trim()).filter(Boolean);
  const lines = [
    `Recording: ${info.format}, ${num(info.duration, 1)} s, ${info.signals.length} signals at ${rates.join('/')} Hz.`,
    `Channels: ${labels.slice(0, 64).join(', ')}${labels.length > 64 ? ', …' : ''}.`,
    `Annotations: ${info.annotationCount}; contiguous segments: ${info.segments.length}.`,
  ];
  if (info.warnings.length)
    lines.push(
      `Reader warnings: ${info.warnings.length} (${[...new Set(info.warnings.map((w) => w.code))].join(', ')}).`,
    );
  return lines.join('\n');
}

export function eegPredictionFacts(p: EegPrediction, limits: readonly string[]): string {
  const probs = p.labels
    .map((l, i) => ({ l, p: p.probabilities[i] }))
    .filter((x) => Number.isFinite(x.p))
    .sort((a, b) => b.p - a.p);
  const lines = [
    `Task: ${p.task} by a research EEG model (not for clinical use).`,
    `Model: ${p.model}.`,
    `Recording-level probabilities: ${probs.map((x) => `${x.l} ${percent(x.p)}`).join(', ')}.`,
    `Windows scored: ${p.windows.length}.`,
  ];
  if (p.spread) {
    lines.push(
      `Spread over windows of the positive class: standard deviation ${num(p.spread.std)}, interquartile range ${num(p.spread.q25)}–${num(p.spread.q75)}.`,
    );
  }
  if (p.events.length) {
    lines.push(`Detected events (${p.events.length}${p.events.length > 20 ? ', first 20 shown' : ''}):`);
    for (const e of p.events.slice(0, 20)) {
      const ch = e.channels?.length ? ` on ${e.channels.join(', ')}` : '';
      lines.push(
        `- ${e.label} at ${num(e.start, 1)} s for ${num(e.duration, 1)} s, probability ${percent(e.probability)}${ch}`,
      );
    }
  } else lines.push('Detected events: none.');
  if (p.notes.length) lines.push(`Notes from MedLab: ${p.notes.join(' ')}`);
  lines.push(...limitsBlock(limits));
  return lines.join('\n');
}

/** Facts of a DenseNet-versus-LLM comparison, optionally with one disagreement. */
export function studyFacts(
  report: PairedReport,
  extras: { answers: StudyLlmAnswers; disagreement?: StudyDisagreement | null },
): string {
  const [a, b] = report.names;
  const p = report.paired;
  const lines = [
    `A comparison study of two models on the same labelled chest X-rays: A = ${a}, B = ${b}.`,
    `Classes: ${report.labels.join(', ')}. Cases given: ${report.rows}; paired cases valid for both: ${p.n}.`,
    ...metricsLines(report.a, `A (${a}) on the paired cases`),
    ...metricsLines(report.b, `B (${b}) on the paired cases`),
    `Answers of B: ${extras.answers.valid} valid, ${extras.answers.invalid} invalid, ${extras.answers.refused} refused, ${extras.answers.error} failed (invalid, refused and failed answers count as failures, never dropped).`,
    `Accuracy including failures: A ${estimate(report.coverage.a.accuracyIncludingFailures)}, B ${estimate(report.coverage.b.accuracyIncludingFailures)}.`,
    `Agreement between A and B: ${estimate(p.agreement)}; Cohen's kappa ${estimate(p.kappa)}.`,
    `McNemar's test on paired correctness: A right and B wrong ${p.mcnemar.aOnly}, B right and A wrong ${p.mcnemar.bOnly}, exact p = ${p.mcnemar.exactP.toPrecision(3)}.`,
    `Accuracy difference A − B: ${estimate(p.accuracyDifference)}.`,
  ];
  for (const table of report.subgroups.filter((t) => PROMPT_SUBGROUPS.includes(t.column))) {
    const groups = table.groups
      .slice(0, 12)
      .map(
        (g) =>
          `${g.value}: n ${g.n}, kappa ${g.stats.kappa.value === null ? '–' : num(g.stats.kappa.value, 2)}`,
      );
    lines.push(`By ${table.column}: ${groups.join('; ')}.`);
  }
  if (report.warnings.length) lines.push(`Warnings: ${report.warnings.join(' ')}`);
  const d = extras.disagreement;
  if (d) {
    const groups = PROMPT_SUBGROUPS.filter((c) => d.subgroups?.[c]).map((c) => `${c} ${d.subgroups?.[c]}`);
    lines.push(
      `The case to explain: reference label ${d.label}; A said ${d.a} (${d.aCorrect ? 'right' : 'wrong'}), B said ${d.b} (${d.bCorrect ? 'right' : 'wrong'})${groups.length ? `; ${groups.join(', ')}` : ''}.`,
    );
  }
  return lines.join('\n');
}

/** The user turn of an explanation. */
export function explainRequest(kind: 'xray' | 'eeg' | 'study', facts: string): string {
  const what =
    kind === 'xray'
      ? 'this chest X-ray classification result'
      : kind === 'eeg'
        ? 'this EEG model result'
        : 'this model comparison study';
  return `Explain ${what} to a researcher.\n\nFacts:\n${facts}`;
}
