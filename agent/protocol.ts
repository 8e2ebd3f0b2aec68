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
  /** Samples in the file for this signal (complete records only, plus a truncated tail if any). */
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
  'eeg/predict': MethodSpec<{ path: string; model: string } & ProgressParams, EegPrediction>;
}

// ───────────────────────────── models ─────────────────────────────
// (filled by the X-ray / models work: models/list, models/show)

// ───────────────────────────── xray ─────────────────────────────
// (xray/diagnose, xray/heatmap)

// ───────────────────────────── study ─────────────────────────────
// (study/metrics, study/compare)

// ───────────────────────────── llm ─────────────────────────────
// (llm/status, llm/models, llm/pull, llm/chat, llm/explain)

// ───────────────────────────── imagegen ─────────────────────────────
// (imagegen/servers, imagegen/generate)

// ───────────────────────────── all methods ─────────────────────────────

export interface Methods extends AgentMethods, EegMethods {}

export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = Methods[M]['params'];
export type ResultOf<M extends MethodName> = Methods[M]['result'];
