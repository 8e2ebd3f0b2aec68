/**
 * The one contract between the agent and everything that talks to it (extension, CLI, tests).
 * JSON-RPC 2.0 over stdio. Every method is declared here with its params, result and progress.
 *
 * Conventions
 * - Times are seconds (numbers); EEG times are seconds from the recording start.
 * - Sample arrays travel as base64 of little-endian Float32 (`Float32Base64`), never JSON arrays.
 * - Long methods accept `progressToken`; progress arrives as `$/progress` with that token and a
 *   `ProgressReport`. Cancellation is `$/cancelRequest`; a cancelled call fails with E_CANCELLED.
 * - Errors: JSON-RPC error with code `AGENT_ERROR` and `data: ErrorData` (stable `code`, plus the
 *   offending path / field / byte offset where there is one).
 * - Each room (agent, eeg, models, xray, study, llm, imagegen) has its own section below.
 *
 * This module has no runtime dependencies so the extension and webviews can import it.
 */

export const PROTOCOL_VERSION = 1;

/** JSON-RPC error code used for every MedLabError (the stable code is in `data.code`). */
export const AGENT_ERROR = -32001;

export type ErrorCode =
  | 'E_USAGE' // bad arguments or params
  | 'E_NOT_FOUND' // file, model, method or item that does not exist
  | 'E_IO' // the file system refused
  | 'E_CANCELLED'
  | 'E_INTERNAL'
  | 'E_EDF_HEADER' // EDF/BDF header field invalid (field + byte offset in data)
  | 'E_EDF_DATA' // data records unreadable (offset in data)
  | 'E_EDF_ANNOTATION' // malformed TAL
  | 'E_EEG_CHANNEL' // channel / montage does not match the recording
  | 'E_EEG_RANGE' // time window outside the recording
  | 'E_DSP' // filter or resampling parameters that cannot work
  | 'E_MODEL_MANIFEST' // model.json invalid (field in data)
  | 'E_MODEL_FILE' // model file missing or sha256 differs
  | 'E_MODEL_INPUT' // tensor does not match the declared input
  | 'E_MODEL_RUNTIME' // onnxruntime failed
  | 'E_IMAGE_DECODE' // image unreadable
  | 'E_DICOM' // DICOM unreadable or unsupported
  | 'E_GENERATED_IMAGE' // an AI-generated illustration was given to the diagnosis pipeline
  | 'E_LABELS' // labels CSV invalid
  | 'E_RESULTS' // results file invalid
  | 'E_OLLAMA_DOWN'
  | 'E_OLLAMA_MODEL' // model not pulled / unknown
  | 'E_OLLAMA_CAPABILITY' // e.g. text-only model asked to read an image
  | 'E_OLLAMA_CONTEXT' // prompt truncated / context overflow
  | 'E_OLLAMA' // other Ollama failure
  | 'E_PRIVACY' // a patient identifier would have left the machine
  | 'E_IMAGEGEN_DOWN'
  | 'E_IMAGEGEN_NOT_SERVER'
  | 'E_IMAGEGEN_MODEL'
  | 'E_IMAGEGEN_SIZE'
  | 'E_IMAGEGEN';

export interface ErrorData {
  code: ErrorCode;
  path?: string;
  field?: string;
  offset?: number;
  /** Free-form structured detail (e.g. the expected vs actual value). */
  detail?: Record<string, string | number | boolean | null>;
}

/** Base64 of little-endian Float32 samples. */
export type Float32Base64 = string;

export interface ProgressReport {
  message?: string;
  done?: number;
  total?: number;
}

export interface ProgressParams {
  /** When set, the agent sends `$/progress` notifications with this token. */
  progressToken?: string | number;
}

/** Shape every method declaration follows. */
export interface MethodSpec<P, R> {
  params: P;
  result: R;
}

// ───────────────────────────── agent ─────────────────────────────

export interface ExecutionProviderInfo {
  /** What is in use for new sessions: 'cuda' or 'cpu'. */
  active: 'cuda' | 'cpu';
  /** The setting: auto | cuda | cpu. */
  requested: 'auto' | 'cuda' | 'cpu';
  /** Why this provider (e.g. "CUDA libraries missing: libcudart.so.12"). */
  reason: string;
  threads: number;
}

export interface AgentInfo {
  name: 'medlab-agent';
  version: string;
  protocolVersion: number;
  node: string;
  platform: string;
  pid: number;
  modelsDirectories: string[];
  executionProvider: ExecutionProviderInfo;
}

export interface AgentSettings {
  modelsDirectory?: string;
  executionProvider?: 'auto' | 'cuda' | 'cpu';
  threads?: number;
  ollamaHost?: string;
  imagegenServer?: string;
}

export interface AgentMethods {
  'agent/info': MethodSpec<Record<string, never>, AgentInfo>;
  /** Applies settings from the extension (same names as the `medlab.*` settings). */
  'agent/configure': MethodSpec<AgentSettings, AgentInfo>;
  'agent/ping': MethodSpec<Record<string, never>, { pong: true; pid: number }>;
}

// ───────────────────────────── eeg ─────────────────────────────

export type EegFormat = 'EDF' | 'EDF+C' | 'EDF+D' | 'BDF' | 'BDF+C' | 'BDF+D';

export interface EegSignalInfo {
  /** Index among all signals of the file (annotation signals included). */
  index: number;
  label: string;
  transducer: string;
  /** Physical dimension as written (e.g. "uV", "µV", "mV"). */
  unit: string;
  prefilter: string;
  sampleRate: number;
  samplesPerRecord: number;
  /** Samples in the file for this signal, complete data records only (a truncated last record is reported as a warning). */
  sampleCount: number;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
}

export interface EegAnnotation {
  /** Seconds from the recording start. */
  onset: number;
  /** Seconds; 0 when the TAL gives none. */
  duration: number;
  text: string;
}

/** A stretch of contiguous data (EDF+D has several; gaps lie between them). */
export interface EegSegment {
  start: number;
  duration: number;
}

export interface EegWarning {
  code: ErrorCode;
  message: string;
  field?: string;
  offset?: number;
}

/**
 * Header identifiers (EDF patient / recording fields). They stay on this machine: never logged,
 * never put in a prompt; shown only in the viewer of the person who opened the file.
 */
export interface EegIdentifiers {
  patient: string;
  recording: string;
}

export interface EegRecordingInfo {
  path: string;
  format: EegFormat;
  /** Local start date and time, ISO 8601 without zone, e.g. "2003-04-05T14:03:00.250". */
  startTime: string;
  /** Seconds from start to the end of the last record (gaps included). */
  duration: number;
  recordDuration: number;
  recordCount: number;
  headerBytes: number;
  /** Data signals only (annotation signals are read into `annotations`). */
  signals: EegSignalInfo[];
  annotationCount: number;
  segments: EegSegment[];
  warnings: EegWarning[];
  identifiers: EegIdentifiers;
}

export type MontageSpec =
  | { kind: 'referential' }
  | { kind: 'average' }
  | { kind: 'bipolar'; pairs?: [string, string][] /* default: double banana */ };

export interface FilterSpec {
  /** High-pass corner in Hz (omit for none). */
  highpass?: number;
  /** Low-pass corner in Hz (omit for none). */
  lowpass?: number;
  /** Notch centre: 50 or 60 Hz. */
  notch?: 50 | 60;
  /** Forward-backward filtering (no phase shift). Default true. */
  zeroPhase?: boolean;
}

export interface EegWindowParams {
  path: string;
  start: number;
  duration: number;
  /** Labels (as listed by eeg/open, or derivation labels after a montage). Omit for all. */
  channels?: string[];
  montage?: MontageSpec;
  filters?: FilterSpec;
  /** When set, each channel is reduced to this many min/max columns for drawing. */
  columns?: number;
}

export interface EegChannelData {
  label: string;
  unit: string;
  sampleRate: number;
  /** Samples (NaN inside gaps), or per-column minima when decimated. */
  data: Float32Base64;
  /** Per-column maxima when decimated. */
  max?: Float32Base64;
}

export interface EegWindow {
  start: number;
  duration: number;
  decimated: boolean;
  channels: EegChannelData[];
  annotations: EegAnnotation[];
  /** Gaps (EDF+D) overlapping the window. */
  gaps: EegSegment[];
}

export interface EegSpectrumParams {
  path: string;
  start?: number;
  duration?: number;
  channels?: string[];
  montage?: MontageSpec;
  filters?: FilterSpec;
  /** Welch segment length in seconds (default 2). */
  segmentSeconds?: number;
}

export interface EegSpectrum {
  /** Frequency of each bin in Hz. */
  frequencies: Float32Base64;
  channels: { label: string; unit: string; /** PSD in unit²/Hz. */ psd: Float32Base64 }[];
}

export interface BandPower {
  band: string;
  low: number;
  high: number;
  absolute: number;
  relative: number;
}

export interface EegBands {
  unit: string;
  channels: { label: string; unit: string; bands: BandPower[] }[];
}

export interface EegPredictParams extends ProgressParams {
  path: string;
  model: string;
  /** Window models only: channel labels or electrode names to score (default: every EEG channel). */
  channels?: string[];
  /** Window models only: montage of the scored channels (default: referential, as recorded). */
  montage?: MontageSpec;
}

export interface EegPrediction {
  model: string;
  task: string;
  labels: string[];
  /** Recording-level probabilities per label. */
  probabilities: number[];
  /** Per-window (or per-epoch) outputs. */
  windows: { start: number; duration: number; channel?: string; probabilities: number[] }[];
  /** Merged events (e.g. seizures) where the model detects them. */
  events: { start: number; duration: number; label: string; probability: number; channels?: string[] }[];
  /** Spread over epochs/windows, e.g. standard deviation and interquartile range of the positive class. */
  spread?: { std: number; q25: number; q75: number };
  notes: string[];
}

export interface EegMethods {
  'eeg/open': MethodSpec<{ path: string }, EegRecordingInfo>;
  'eeg/window': MethodSpec<EegWindowParams, EegWindow>;
  'eeg/annotations': MethodSpec<{ path: string }, { annotations: EegAnnotation[] }>;
  'eeg/spectrum': MethodSpec<EegSpectrumParams, EegSpectrum>;
  'eeg/bands': MethodSpec<EegSpectrumParams, EegBands>;
  'eeg/predict': MethodSpec<EegPredictParams, EegPrediction>;
}

// ───────────────────────────── models ─────────────────────────────

/** A JSON value as found in a manifest (for the parts another room validates). */
export type ManifestValue =
  string | number | boolean | null | ManifestValue[] | { [key: string]: ManifestValue };

/** `preprocessing` of image models (docs/model-manifest.md). */
export interface ImagePreprocessing {
  kind: 'image';
  color: 'grayscale' | 'rgb';
  resize: {
    width: number;
    height: number;
    fit: 'fill' | 'cover' | 'contain';
    kernel: 'nearest' | 'linear' | 'cubic' | 'lanczos3';
  };
  /** x / scale first... */
  scale: number;
  /** ...then (x - mean) / std per channel (one value, or one per channel). */
  mean: number[];
  std: number[];
}

/** Any other preprocessing kind (e.g. eeg-window); the room that runs the task validates it. */
export interface OtherPreprocessing {
  kind: string;
  [field: string]: ManifestValue;
}

/** `model.json`, validated (docs/model-manifest.md). */
export interface ModelManifest {
  id: string;
  name: string;
  version: string;
  /** 'xray-classification' or 'eeg-…' (e.g. eeg-window-classification). */
  task: string;
  file: string;
  sha256: string;
  labels: string[];
  positiveLabel?: string;
  input: { name: string; shape: number[]; dtype: 'float32' };
  outputs: {
    scores: string;
    scoreType: 'probabilities' | 'logits';
    cam?: string;
    features?: string;
  };
  preprocessing: ImagePreprocessing | OtherPreprocessing;
  license: string;
  trainingData: string;
  intendedUse: string;
  metrics: { [key: string]: ManifestValue };
}

export interface ModelSummary {
  id: string;
  name: string;
  version: string;
  task: string;
  labels: string[];
  /** The model's folder. */
  directory: string;
  /** 'install' (models/ of MedLab) or 'user' (medlab.models.directory / --models). */
  origin: 'install' | 'user';
  sha256: string;
  /** Whether the ONNX file's sha256 matched the manifest (checked when listed). */
  verified: boolean;
  hasHeatmaps: boolean;
  hasCard: boolean;
  intendedUse: string;
}

/** A model folder that was refused, and why. */
export interface ModelProblem {
  directory: string;
  code: ErrorCode;
  message: string;
  field?: string;
}

export interface ModelList {
  directories: string[];
  models: ModelSummary[];
  problems: ModelProblem[];
}

export interface ModelDetails extends ModelSummary {
  manifest: ModelManifest;
  /** MODEL_CARD.md as written (markdown), or null when the folder has none. */
  card: string | null;
  /** The ONNX graph's inputs and outputs as onnxruntime reports them. */
  graph: { inputs: GraphValueInfo[]; outputs: GraphValueInfo[] };
  executionProvider: ExecutionProviderInfo;
}

export interface GraphValueInfo {
  name: string;
  type: string;
  /** Dimensions; symbolic ones as their name, unknown as -1. */
  shape: (number | string)[];
}

export interface ModelsMethods {
  'models/list': MethodSpec<{ task?: string }, ModelList>;
  'models/show': MethodSpec<{ id: string }, ModelDetails>;
}

// ───────────────────────────── xray ─────────────────────────────

export interface XrayDiagnoseParams extends ProgressParams {
  /** An image file or a folder (searched recursively). */
  path: string;
  /** Model id (default: medlab.xray.defaultModel, else the preferred installed X-ray model). */
  model?: string;
  /** Labels CSV: `path,label[,patient_id,...]`; without it, class sub-folders give the labels. */
  labels?: string;
  /** Output folder (default `<dataset>/.medlab/<model-id>/`). */
  out?: string;
  /** Write class-activation overlays (PNG) under `<out>/heatmaps/`. */
  heatmaps?: boolean;
  /** Images per inference call (default medlab.xray.batchSize, else 8; 1 for fixed-batch models). */
  batchSize?: number;
  /** How many rows to return in the result (default 1000); every row is in results.json. */
  maxRows?: number;
}

export interface XrayRowError {
  code: ErrorCode;
  message: string;
}

/** One image of a diagnosis run (one line of results.csv). */
export interface XrayResultRow {
  /** Relative to the dataset folder, with forward slashes. */
  path: string;
  /** Ground truth when known (class folder or labels CSV), else null. */
  label: string | null;
  /** The label with the highest probability; null for an error row. */
  prediction: string | null;
  /** One probability per model label; null for an error row. */
  probabilities: Record<string, number> | null;
  error: XrayRowError | null;
  /** Extra columns of the labels CSV (e.g. patient_id, source, sex). */
  subgroups: Record<string, string>;
  /** Heat map PNG relative to the output folder, when written. */
  heatmap?: string;
}

export interface XrayCounts {
  /** Image files found (rows). */
  images: number;
  /** Diagnosed in this run. */
  computed: number;
  /** Taken from the cache (earlier or interrupted runs). */
  cached: number;
  /** Error rows. */
  errors: number;
  /** Non-image files that were skipped (listed in `skipped`). */
  skipped: number;
  /** Rows with a known label. */
  labelled: number;
}

/** results.json of a diagnosis run. */
export interface XrayResultsFile {
  format: 'medlab-xray-results';
  version: 1;
  createdAt: string;
  /** False when the run was cancelled: rows then hold only the images done so far. */
  complete: boolean;
  dataset: string;
  model: { id: string; name: string; version: string; sha256: string; task: string };
  labels: string[];
  positiveLabel?: string;
  /** Where labels came from. */
  labelSource: 'folders' | 'csv' | 'none';
  subgroupColumns: string[];
  counts: XrayCounts;
  skipped: { path: string; reason: string }[];
  /** Labels CSV rows whose file was not found. */
  missing: string[];
  rows: XrayResultRow[];
}

export interface XrayDiagnoseResult {
  outDir: string;
  /**
   * results.csv / results.json (a single image without `out` writes them under
   * `<default out>/single/<file name>/`, leaving the folder's results alone).
   */
  files: { csv: string; json: string; metrics: string | null; heatmaps: string | null };
  model: string;
  executionProvider: ExecutionProviderInfo;
  counts: XrayCounts;
  seconds: number;
  /** Images diagnosed per second in this run (cached rows excluded). */
  imagesPerSecond: number;
  /** Fraction of the run the model was computing (1 = decoding never kept it waiting); null when nothing ran. */
  engineBusy: number | null;
  rows: XrayResultRow[];
  rowsTruncated: boolean;
}

export interface XrayHeatmapParams {
  path: string;
  model?: string;
  /** Class to explain (default: the prediction). */
  label?: string;
}

export interface XrayHeatmap {
  label: string;
  prediction: string;
  probabilities: Record<string, number>;
  /** PNG overlay, base64. */
  png: string;
  width: number;
  height: number;
}

export interface XrayMethods {
  'xray/diagnose': MethodSpec<XrayDiagnoseParams, XrayDiagnoseResult>;
  'xray/heatmap': MethodSpec<XrayHeatmapParams, XrayHeatmap>;
}

// ───────────────────────────── study ─────────────────────────────
// Metrics researchers publish (agent/study; formulas and references in docs/metrics.md).

/** How a confidence interval was obtained. */
export type StudyCiMethod = 'wilson' | 'bootstrap' | 'delong' | 'fleiss-cohen-everitt';

/** An estimate with the n it rests on and its confidence interval (at the report's `confidence`). */
export interface StudyEstimate {
  /** null when undefined on these cases (e.g. PPV when nothing was predicted positive). */
  value: number | null;
  /** [low, high]; null when it cannot be computed. */
  ci: [number, number] | null;
  /** Cases in the denominator (AUROC: positives + negatives; averages: the cases they rest on). */
  n: number;
  /** Numerator of a proportion (e.g. true positives for sensitivity). */
  count?: number;
  method: StudyCiMethod | null;
  /** Why the value or the interval is missing or degenerate. */
  note?: string;
}

/** One ROC point; a case is called positive when its score >= threshold. */
export interface StudyRocPoint {
  fpr: number;
  tpr: number;
  /** null for the (0, 0) start: above every score (sklearn writes max+1 or inf there). */
  threshold: number | null;
}

export interface StudyAuroc extends StudyEstimate {
  positives: number;
  negatives: number;
  /** DeLong standard error. */
  se: number | null;
  /** sklearn roc_curve(drop_intermediate=True) points, downsampled for drawing (see curvePoints). */
  curve: StudyRocPoint[];
  /** Points of the full curve before downsampling. */
  curvePoints: number;
}

export interface StudyClassMetrics {
  label: string;
  /** Cases whose true label is this class. */
  support: number;
  /** Cases predicted as this class. */
  predicted: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  sensitivity: StudyEstimate;
  specificity: StudyEstimate;
  ppv: StudyEstimate;
  npv: StudyEstimate;
  f1: StudyEstimate;
  /** One-vs-rest on this class's probability; null when no case carries probabilities. */
  auroc: StudyAuroc | null;
}

/** Rows left out of the metrics, by reason. They are counted, never silently dropped. */
export interface StudyExclusions {
  /** Rows with an error (the model failed on them). */
  errored: number;
  /** Rows without a ground-truth label. */
  unlabelled: number;
  /** Rows whose label is not one of the labels (values counted in `unknownLabels`). */
  unknownLabel: number;
  /** Rows with neither a prediction nor probabilities. */
  noPrediction: number;
  /** Rows whose prediction is not one of the labels. */
  unknownPrediction: number;
  unknownLabels: Record<string, number>;
}

export interface StudyMacroMetrics {
  sensitivity: StudyEstimate;
  specificity: StudyEstimate;
  ppv: StudyEstimate;
  npv: StudyEstimate;
  f1: StudyEstimate;
  /** Mean one-vs-rest AUROC over `classes` (the classes where it is defined). */
  auroc: StudyEstimate & { classes: string[] };
}

export interface MetricsReport {
  labels: string[];
  confidence: number;
  /** Rows given, before exclusions. */
  rows: number;
  /** Cases the metrics rest on: labelled with a known label, valid prediction, no error. */
  n: number;
  excluded: StudyExclusions;
  /** Cases of `n` that carry probabilities (the AUROC cases). */
  scored: number;
  accuracy: StudyEstimate;
  /** Correct / every row with a known label: errored and invalid rows count as wrong. */
  accuracyIncludingFailures: StudyEstimate;
  balancedAccuracy: StudyEstimate;
  macro: StudyMacroMetrics;
  /** confusion[i][j]: cases of true class labels[i] predicted as labels[j] (sklearn layout). */
  confusion: number[][];
  classes: StudyClassMetrics[];
  bootstrap: { replicates: number; seed: number; stratified: true };
  /** Cases below which a report or subgroup is flagged small. */
  minCases: number;
  /** n below `minCases`: estimates are unstable. */
  small: boolean;
  warnings: string[];
  /** Empty inside a subgroup's own report. */
  subgroups: StudySubgroupTable[];
}

export interface StudySubgroup {
  column: string;
  /** The column's value; "(missing)" for rows without one. */
  value: string;
  rows: number;
  n: number;
  small: boolean;
  metrics: MetricsReport;
}

export interface StudySubgroupTable {
  column: string;
  groups: StudySubgroup[];
}

export interface MetricsOptions {
  /** Subgroup columns (e.g. ["source", "view"]). */
  by?: string[];
  /** Default 0.95. */
  confidence?: number;
  /** Bootstrap replicates (default 2000) and seed (default 20250101) for the non-proportion CIs. */
  replicates?: number;
  seed?: number;
  /** Below this many cases a report (or subgroup) is flagged small. Default 30. */
  minCases?: number;
  /** ROC points kept per curve for drawing. Default 200. */
  maxCurvePoints?: number;
}

export interface StudyMetricsParams extends MetricsOptions, ProgressParams {
  /** A results.json written by a diagnosis run (or any file in that format). */
  results: string;
  /** Where to also write the report, atomically. */
  jsonOut?: string;
  csvOut?: string;
  htmlOut?: string;
}

export interface StudyMetricsResult {
  report: MetricsReport;
  /** Files written. */
  written: string[];
}

/** McNemar's test on paired correctness. */
export interface StudyMcNemar {
  /** Cases A got right and B wrong. */
  aOnly: number;
  /** Cases B got right and A wrong. */
  bOnly: number;
  bothCorrect: number;
  bothWrong: number;
  /** Exact two-sided binomial p-value (aOnly ~ Bin(aOnly + bOnly, 1/2)). */
  exactP: number;
  /** Edwards continuity-corrected statistic (max(0, |b-c|-1))² / (b+c) and its χ²(1) p-value. */
  chiSquare: number;
  chiSquareP: number;
}

/** Paired DeLong test of two correlated one-vs-rest AUROCs on the same cases. */
export interface StudyAurocComparison {
  label: string;
  n: number;
  a: number | null;
  b: number | null;
  /** a - b with its DeLong CI. */
  difference: StudyEstimate;
  z: number | null;
  p: number | null;
}

export interface StudyDisagreement {
  /** Index of the case in the rows given. */
  index: number;
  /** The caller's case key (e.g. the image path relative to the dataset). */
  id?: string;
  label: string;
  a: string;
  b: string;
  aCorrect: boolean;
  bCorrect: boolean;
  subgroups?: Record<string, string>;
}

export interface StudyPairedStats {
  /** Paired cases: valid in both models. */
  n: number;
  /** Proportion of paired cases where the two predictions agree. */
  agreement: StudyEstimate;
  /** Cohen's kappa between the two models' predictions. */
  kappa: StudyEstimate;
  mcnemar: StudyMcNemar;
  /** Accuracy of A minus accuracy of B on the paired cases (stratified paired bootstrap CI). */
  accuracyDifference: StudyEstimate;
  auroc: StudyAurocComparison[];
}

export interface StudyPairedSubgroup {
  column: string;
  value: string;
  n: number;
  small: boolean;
  stats: StudyPairedStats;
}

export interface PairedReport {
  labels: string[];
  confidence: number;
  names: [string, string];
  /** Rows given (the same for both models). */
  rows: number;
  /** Each model on the paired cases (the same cases for both): side by side. */
  a: MetricsReport;
  b: MetricsReport;
  /** Each model on all its rows: what it failed on is visible here. */
  coverage: {
    a: { excluded: StudyExclusions; accuracyIncludingFailures: StudyEstimate };
    b: { excluded: StudyExclusions; accuracyIncludingFailures: StudyEstimate };
  };
  paired: StudyPairedStats;
  subgroups: { column: string; groups: StudyPairedSubgroup[] }[];
  disagreements: StudyDisagreement[];
  warnings: string[];
}

/** DenseNet versus a vision language model on the same labelled images (agent/study/llmStudy.ts). */
export interface StudyCompareParams extends ProgressParams {
  /** An image folder (or one image). */
  path: string;
  /** Labels CSV (`path,label[,columns...]`); without it, class sub-folders give the labels. */
  labels?: string;
  /** The Ollama vision model, e.g. "medgemma:4b". */
  llm: string;
  /** Ollama base URL (default medlab.ollama.host). */
  host?: string;
  /** DenseNet model id (default: the preferred installed X-ray model). */
  model?: string;
  /** Output folder (default `<dataset>/.medlab/compare-<model>-vs-<llm>/`). */
  out?: string;
  /** Seed sent with every LLM request (default 42); the temperature is always 0. */
  seed?: number;
  numCtx?: number;
  /** Only the first N images (in path order), e.g. for a quick look. */
  limit?: number;
  /** Subgroup columns for the tables (default: every non-identifier column with 2–20 values). */
  by?: string[];
}

/** What became of the language model's answers. Invalid and refused answers count as failures. */
export interface StudyLlmAnswers {
  valid: number;
  /** Not JSON of the schema, or a label that is not one of the model's. */
  invalid: number;
  /** The model declined in words. */
  refused: number;
  /** The image could not be read, or Ollama failed on it. */
  error: number;
  /** Taken from the cache of an earlier or interrupted run. */
  cached: number;
}

export interface StudyCompareResult {
  outDir: string;
  files: { json: string; csv: string; cases: string; html: string; answers: string };
  /** False when the run was interrupted: the report covers the images done so far. */
  complete: boolean;
  report: PairedReport;
  densenet: { id: string; name: string; images: number; computed: number; cached: number; errors: number };
  llm: {
    model: string;
    digest: string | null;
    ollamaVersion: string | null;
    host: LlmHost;
    answers: StudyLlmAnswers;
  };
  seconds: number;
}

export interface StudyMethods {
  'study/metrics': MethodSpec<StudyMetricsParams, StudyMetricsResult>;
  'study/compare': MethodSpec<StudyCompareParams, StudyCompareResult>;
}

// ───────────────────────────── llm ─────────────────────────────
// Local language models through Ollama (agent/llm; docs/llm.md). Prompts are built from
// structured results only; patient identifiers are refused with E_PRIVACY before sending.

export interface LlmHost {
  /** Normalised base URL, e.g. "http://127.0.0.1:11434". */
  url: string;
  loopback: boolean;
  /** Set when the host is not this machine: prompts, summaries and images leave it. */
  warning?: string;
}

export interface LlmHostParams {
  /** Ollama base URL; default medlab.ollama.host (http://127.0.0.1:11434). */
  host?: string;
}

export interface LlmStatus {
  host: LlmHost;
  running: boolean;
  version: string | null;
  /** One line for the user: "Ollama 0.6.2 at …" or "Ollama is not running at …". */
  message: string;
}

export interface LlmModel {
  /** Name with tag, e.g. "medgemma:4b". */
  name: string;
  /** Bytes on disk. */
  size: number;
  digest: string;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  /** From /api/show when details were asked ("completion", "vision", …); null when unknown. */
  capabilities: string[] | null;
  /** The model's maximum context in tokens (from /api/show), when known. */
  contextLength: number | null;
  /** Set for research-only base models (e.g. Meditron); the UI shows it. */
  notice?: string;
}

export interface LlmModels {
  host: LlmHost;
  models: LlmModel[];
}

export interface LlmPullParams extends LlmHostParams, ProgressParams {
  model: string;
}

export interface LlmPullResult {
  model: string;
  /** Last status line of the server ("success"). */
  status: string;
  /** Bytes of all layers. */
  bytes: number;
}

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * Material given to a model as context. The agent reads it itself and keeps only whitelisted
 * fields (model, labels, probabilities, heat-map summary, metrics, model-card limits).
 */
export type LlmAttachment =
  /** One row of a diagnosis run's results.json. */
  | { kind: 'xray-result'; results: string; row: number }
  /** A row as a report shows it (the dataset folder and image locate the run and the file). */
  | { kind: 'xray-row'; dataset: string; image: string; model: string; labels: string[]; row: XrayResultRow }
  /** A comparison report (study/compare report.json); `row` picks one disagreement. */
  | { kind: 'study'; report: string; row?: number }
  /** An EEG recording: its technical summary (never its header identifiers). */
  | { kind: 'eeg-recording'; path: string }
  /** An EEG model's prediction on a recording. */
  | { kind: 'eeg-prediction'; path: string; prediction: EegPrediction };

export interface LlmChatParams extends LlmHostParams {
  /** Default medlab.ollama.chatModel. */
  model?: string;
  messages: LlmMessage[];
  attachments?: LlmAttachment[];
  /** Context window to ask for (never above the model's maximum). Default medlab.ollama.numCtx or 8192. */
  numCtx?: number;
  temperature?: number;
  seed?: number;
  /** Chosen by the caller; every `llm/chunk` notification of this call carries it. */
  streamId?: string;
}

export interface LlmChatResult {
  model: string;
  host: LlmHost;
  text: string;
  /** "stop", "length" (the answer hit the output limit), …; null when the server did not say. */
  doneReason: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  numCtx: number;
  /** The server dropped part of the prompt (prompt_eval_count far below what was sent). */
  truncated: boolean;
  /** What the UI must show next to the answer: remote host, research-only model, truncation. */
  warnings: string[];
}

export interface LlmExplainParams extends LlmHostParams {
  target: LlmAttachment;
  model?: string;
  numCtx?: number;
  streamId?: string;
}

export interface LlmExplainResult extends LlmChatResult {
  /** The prompt exactly as sent (for the record). */
  prompt: string;
}

/** Notification sent while llm/chat or llm/explain runs: the next piece of the answer. */
export const LLM_CHUNK = 'llm/chunk';
export interface LlmChunk {
  streamId: string;
  text: string;
}

export interface LlmMethods {
  'llm/status': MethodSpec<LlmHostParams, LlmStatus>;
  /** Installed models (/api/tags); with `details`, capabilities and context length (/api/show). */
  'llm/models': MethodSpec<LlmHostParams & { details?: boolean }, LlmModels>;
  'llm/pull': MethodSpec<LlmPullParams, LlmPullResult>;
  'llm/chat': MethodSpec<LlmChatParams, LlmChatResult>;
  'llm/explain': MethodSpec<LlmExplainParams, LlmExplainResult>;
}

// ───────────────────────────── imagegen ─────────────────────────────

export type ImageServerKind = 'a1111' | 'sdcpp' | 'localai' | 'openai';

/** What a server can and cannot do; the panel says what is missing instead of dropping it silently. */
export interface ImageServerCapabilities {
  negativePrompt: boolean;
  /** The request can fix the seed. */
  seed: boolean;
  /** The reply says which seed was used. */
  seedReported: boolean;
  /** Step-wise progress can be polled. */
  progress: boolean;
  /** A running generation can be stopped on the server (besides closing the request). */
  interrupt: boolean;
  /** How LoRAs are sent: a <lora:name:w> prompt tag, a structured list, or not at all. */
  loras: 'prompt-tag' | 'structured' | 'none';
  /** The request can choose the checkpoint. */
  modelSelect: boolean;
  steps: boolean;
}

export interface ImageServerInfo {
  url: string;
  kind: ImageServerKind;
  /** A human name, e.g. "AUTOMATIC1111 / Forge (sdapi)". */
  description: string;
  loopback: boolean;
  /** Set when the host is not loopback: prompts and images leave this machine. */
  warning?: string;
  models: string[];
  loras: { name: string; alias?: string; path?: string }[];
  capabilities: ImageServerCapabilities;
  /** What this server will not honour, in words. */
  limitations: string[];
}

export interface LoraRef {
  name: string;
  weight: number;
}

export interface ImagegenRequest extends ProgressParams {
  /** Server base URL; default from settings (http://127.0.0.1:7860). */
  server?: string;
  model?: string;
  prompt: string;
  negativePrompt?: string;
  loras?: LoraRef[];
  width?: number;
  height?: number;
  steps?: number;
  cfgScale?: number;
  sampler?: string;
  /** First seed; image k uses seed + k. Random (and reported) when omitted. */
  seed?: number;
  /** Images side by side, one per seed (default 1, at most 8). */
  count?: number;
}

export const GENERATED_IMAGE_LABEL = 'AI-generated illustration, not patient data';

/** Everything needed to regenerate a figure exactly; embedded in the PNG and in a JSON sidecar. */
export interface IllustrationMetadata {
  generator: 'medlab';
  label: typeof GENERATED_IMAGE_LABEL;
  serverKind: ImageServerKind;
  serverUrl: string;
  model: string | null;
  prompt: string;
  negativePrompt: string | null;
  loras: LoraRef[];
  /** The seed actually used, or null where the server neither takes nor reports one. */
  seed: number | null;
  /** How `seed` is known: reported by the server, the one we sent (server does not report), or unknown. */
  seedSource: 'reported' | 'requested' | 'unknown';
  width: number;
  height: number;
  steps: number | null;
  cfgScale: number | null;
  sampler: string | null;
  createdAt: string;
}

export interface GeneratedImage {
  /** Base64 PNG (metadata already embedded). */
  png: string;
  metadata: IllustrationMetadata;
}

export interface ImagegenResult {
  server: ImageServerInfo;
  images: GeneratedImage[];
  /** Requested settings the server did not honour. */
  warnings: string[];
}

export interface ImagegenPreset {
  id: string;
  title: string;
  prompt: string;
  negativePrompt: string;
}

export interface ImagegenMethods {
  'imagegen/servers': MethodSpec<{ server?: string }, ImageServerInfo>;
  'imagegen/generate': MethodSpec<ImagegenRequest, ImagegenResult>;
  'imagegen/save': MethodSpec<
    { image: GeneratedImage; directory: string; name?: string },
    { png: string; sidecar: string }
  >;
  'imagegen/metadata': MethodSpec<{ path: string }, IllustrationMetadata>;
  /** A saved figure's metadata and the request that regenerates it exactly. */
  'imagegen/regeneration': MethodSpec<
    { path: string },
    { metadata: IllustrationMetadata; request: ImagegenRequest }
  >;
  'imagegen/presets': MethodSpec<Record<string, never>, { presets: ImagegenPreset[] }>;
}

// ───────────────────────────── all methods ─────────────────────────────

export interface Methods
  extends AgentMethods, EegMethods, ModelsMethods, XrayMethods, ImagegenMethods, StudyMethods, LlmMethods {}

export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = Methods[M]['params'];
export type ResultOf<M extends MethodName> = Methods[M]['result'];
