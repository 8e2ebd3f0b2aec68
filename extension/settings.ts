/**
 * The `medlab.*` settings as one typed, validated object. Pure: the caller passes a getter
 * (vscode.workspace.getConfiguration('medlab').get in the extension), so tests run in plain Node.
 */
import type { AgentSettings, FilterSpec, MontageSpec } from '../agent/protocol';

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';
export type MontageSetting = 'referential' | 'average' | 'bipolar';

export interface MedLabSettings {
  agentNodePath: string;
  modelsDirectory: string;
  executionProvider: ExecutionProviderSetting;
  threads: number;
  xrayDefaultModel: string;
  xrayBatchSize: number;
  eegSecondsPerPage: number;
  eegDefaultMontage: MontageSetting;
  eegNotchHz: 'off' | 50 | 60;
  /** Band-pass corners in Hz; undefined = off. */
  eegBandpass: { low: number; high: number } | undefined;
  ollamaHost: string;
  ollamaChatModel: string;
  ollamaVisionModel: string;
  ollamaNumCtx: number;
  imagegenServer: string;
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_IMAGEGEN_SERVER = 'http://127.0.0.1:7860';
export const SECONDS_PER_PAGE_CHOICES = [1, 2, 5, 10, 15, 20, 30, 60] as const;

/** Setting keys below `medlab.`, as contributed in package.json. */
export const SETTING_KEYS = {
  agentNodePath: 'agent.nodePath',
  modelsDirectory: 'models.directory',
  executionProvider: 'runtime.executionProvider',
  threads: 'runtime.threads',
  xrayDefaultModel: 'xray.defaultModel',
  xrayBatchSize: 'xray.batchSize',
  eegSecondsPerPage: 'eeg.secondsPerPage',
  eegDefaultMontage: 'eeg.defaultMontage',
  eegNotchHz: 'eeg.notchHz',
  eegBandpass: 'eeg.bandpass',
  ollamaHost: 'ollama.host',
  ollamaChatModel: 'ollama.chatModel',
  ollamaVisionModel: 'ollama.visionModel',
  ollamaNumCtx: 'ollama.numCtx',
  imagegenServer: 'imagegen.server',
} as const satisfies Record<keyof MedLabSettings, string>;

/** Settings whose change must reach the agent (agent/configure) or restart it. */
export const AGENT_SETTING_KEYS = [
  SETTING_KEYS.modelsDirectory,
  SETTING_KEYS.executionProvider,
  SETTING_KEYS.threads,
  SETTING_KEYS.ollamaHost,
  SETTING_KEYS.imagegenServer,
];

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v.trim() : fallback;
}

function int(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(v as T) ? (v as T) : fallback;
}

/** "0.5-70" (Hz) -> corners; "off" or "" -> undefined; anything else -> the default. */
export function parseBandpass(v: unknown): { low: number; high: number } | undefined | 'invalid' {
  if (typeof v !== 'string') return 'invalid';
  const s = v.trim().toLowerCase();
  if (s === '' || s === 'off') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)(?:\s*hz)?$/.exec(s);
  if (!m) return 'invalid';
  const low = Number(m[1]);
  const high = Number(m[2]);
  return low > 0 && high > low ? { low, high } : 'invalid';
}

export function readSettings(get: (key: string) => unknown): MedLabSettings {
  const notch = get(SETTING_KEYS.eegNotchHz);
  const bandpass = parseBandpass(get(SETTING_KEYS.eegBandpass) ?? '0.5-70');
  const seconds = int(get(SETTING_KEYS.eegSecondsPerPage), 10, 1, 60);
  return {
    agentNodePath: str(get(SETTING_KEYS.agentNodePath), ''),
    modelsDirectory: str(get(SETTING_KEYS.modelsDirectory), ''),
    executionProvider: oneOf(get(SETTING_KEYS.executionProvider), ['auto', 'cuda', 'cpu'], 'auto'),
    threads: int(get(SETTING_KEYS.threads), 0, 0, 256),
    xrayDefaultModel: str(get(SETTING_KEYS.xrayDefaultModel), ''),
    xrayBatchSize: int(get(SETTING_KEYS.xrayBatchSize), 16, 1, 512),
    eegSecondsPerPage: seconds,
    eegDefaultMontage: oneOf(
      get(SETTING_KEYS.eegDefaultMontage),
      ['referential', 'average', 'bipolar'],
      'referential',
    ),
    eegNotchHz: notch === 50 || notch === '50' ? 50 : notch === 60 || notch === '60' ? 60 : 'off',
    eegBandpass: bandpass === 'invalid' ? { low: 0.5, high: 70 } : bandpass,
    ollamaHost: str(get(SETTING_KEYS.ollamaHost), '') || DEFAULT_OLLAMA_HOST,
    ollamaChatModel: str(get(SETTING_KEYS.ollamaChatModel), ''),
    ollamaVisionModel: str(get(SETTING_KEYS.ollamaVisionModel), ''),
    ollamaNumCtx: int(get(SETTING_KEYS.ollamaNumCtx), 8192, 512, 1_048_576),
    imagegenServer: str(get(SETTING_KEYS.imagegenServer), '') || DEFAULT_IMAGEGEN_SERVER,
  };
}

/** The part of the settings the agent applies (agent/configure). */
export function agentSettingsOf(s: MedLabSettings): AgentSettings {
  return {
    modelsDirectory: s.modelsDirectory,
    executionProvider: s.executionProvider,
    threads: s.threads,
    ollamaHost: s.ollamaHost,
    imagegenServer: s.imagegenServer,
  };
}

/** The same settings as environment variables, so the agent starts configured. */
export function agentEnvironmentOf(s: MedLabSettings): Record<string, string> {
  const env: Record<string, string> = {
    MEDLAB_EXECUTION_PROVIDER: s.executionProvider,
    OLLAMA_HOST: s.ollamaHost,
  };
  if (s.modelsDirectory) env.MEDLAB_MODELS = s.modelsDirectory;
  if (s.threads > 0) env.MEDLAB_THREADS = String(s.threads);
  return env;
}

/** The EEG viewer's starting montage and filters. */
export function eegDefaultsOf(s: MedLabSettings): {
  montage: MontageSpec;
  filters: FilterSpec;
  secondsPerPage: number;
} {
  const filters: FilterSpec = {};
  if (s.eegBandpass) {
    filters.highpass = s.eegBandpass.low;
    filters.lowpass = s.eegBandpass.high;
  }
  if (s.eegNotchHz !== 'off') filters.notch = s.eegNotchHz;
  return { montage: { kind: s.eegDefaultMontage }, filters, secondsPerPage: s.eegSecondsPerPage };
}
