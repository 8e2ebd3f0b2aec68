/**
 * The illustration form without the DOM: what the fields become as a request, what the connected
 * server cannot do (said next to each field, never dropped silently), progress across several
 * images, and the message each failure gets. Pure, so it is unit-tested in Node.
 */
import type {
  IllustrationMetadata,
  ImagegenRequest,
  ImageServerInfo,
  LoraRef,
  ProgressReport,
} from '../../agent/protocol';
import type { WebviewError } from '../common/messages';
import type { GenerateParams } from './messages';

/** Form fields by their element id (the e2e tests and error highlighting use the same names). */
export type FieldId =
  'server' | 'prompt' | 'negative' | 'model' | 'loras' | 'width' | 'height' | 'steps' | 'seed' | 'count';

export interface LoraChoice {
  name: string;
  /** As typed in the weight field. */
  weight: string;
  on: boolean;
}

/** The form as typed: numbers stay text until they are read here. */
export interface FormValues {
  server: string;
  prompt: string;
  negativePrompt: string;
  /** '' = whatever the server has loaded. */
  model: string;
  loras: LoraChoice[];
  width: string;
  height: string;
  steps: string;
  /** '' = a random seed (reported back with each image). */
  seed: string;
  count: string;
}

export const DEFAULT_FORM: Omit<FormValues, 'server'> = {
  prompt: '',
  negativePrompt: '',
  model: '',
  loras: [],
  width: '1024',
  height: '1024',
  steps: '30',
  seed: '',
  count: '2',
};

export type ReadResult =
  { ok: true; params: GenerateParams } | { ok: false; field: FieldId; message: string };

function integer(text: string): number | undefined {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * The request the form describes. Only the shape is checked here (a number where a number goes);
 * ranges and sizes are the agent's to check, and its refusal names the field.
 */
export function readForm(v: FormValues): ReadResult {
  const fail = (field: FieldId, message: string): ReadResult => ({ ok: false, field, message });
  if (!v.server.trim()) return fail('server', 'Enter the image server URL (e.g. http://127.0.0.1:7860).');
  const prompt = v.prompt.trim();
  if (!prompt) return fail('prompt', 'Write a prompt, or pick a preset.');
  const numbers: Record<'width' | 'height' | 'steps' | 'count', number> = {
    width: 0,
    height: 0,
    steps: 0,
    count: 0,
  };
  for (const key of ['width', 'height', 'steps', 'count'] as const) {
    const n = integer(v[key]);
    if (n === undefined) return fail(key, `${key} must be a whole number; got "${v[key]}"`);
    numbers[key] = n;
  }
  let seed: number | undefined;
  if (v.seed.trim()) {
    seed = integer(v.seed);
    if (seed === undefined)
      return fail('seed', `seed must be a whole number, or empty for a random one; got "${v.seed}"`);
  }
  const loras: LoraRef[] = [];
  for (const l of v.loras.filter((x) => x.on)) {
    const weight = l.weight.trim() === '' ? 1 : Number(l.weight);
    if (!Number.isFinite(weight))
      return fail('loras', `the weight of LoRA "${l.name}" must be a number; got "${l.weight}"`);
    loras.push({ name: l.name, weight });
  }
  const negative = v.negativePrompt.trim();
  return {
    ok: true,
    params: {
      server: v.server.trim(),
      prompt,
      ...(negative ? { negativePrompt: negative } : {}),
      ...(v.model ? { model: v.model } : {}),
      loras,
      width: numbers.width,
      height: numbers.height,
      steps: numbers.steps,
      count: numbers.count,
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}

/** The form that regenerates a saved figure (one image, its seed, its LoRAs switched on). */
export function formFromRequest(req: ImagegenRequest, server: string): FormValues {
  return {
    server: req.server ?? server,
    prompt: req.prompt,
    negativePrompt: req.negativePrompt ?? '',
    model: req.model ?? '',
    loras: (req.loras ?? []).map((l) => ({ name: l.name, weight: String(l.weight), on: true })),
    width: String(req.width ?? DEFAULT_FORM.width),
    height: String(req.height ?? DEFAULT_FORM.height),
    steps: String(req.steps ?? DEFAULT_FORM.steps),
    seed: req.seed !== undefined ? String(req.seed) : '',
    count: String(req.count ?? 1),
  };
}

/** A note next to each field the server will not honour; absent where it will. */
export function fieldHints(info: ImageServerInfo): Partial<Record<FieldId, string>> {
  const c = info.capabilities;
  const hints: Partial<Record<FieldId, string>> = {};
  if (!c.negativePrompt) hints.negative = 'This server has no negative prompt: it will not be sent.';
  if (!c.seed) hints.seed = 'This server takes no seed: images cannot be regenerated exactly.';
  else if (!c.seedReported)
    hints.seed = 'This server does not report the seed it used: the seed sent is recorded.';
  if (c.loras === 'none') hints.loras = 'This server has no LoRA support: LoRAs will not be sent.';
  if (!c.modelSelect) hints.model = 'The model is fixed when this server starts.';
  if (!c.steps) hints.steps = 'This server takes no step count.';
  return hints;
}

/** What the #server line says: which kind answered where. */
export function serverSummary(info: ImageServerInfo): string {
  return `${info.description} (${info.kind}) at ${info.url}`;
}

export interface ModelOption {
  value: string;
  label: string;
}

/** The server's models, plus a wanted one it lacks (so a regenerated figure shows what it needs). */
export function modelOptions(info: ImageServerInfo | undefined, wanted: string): ModelOption[] {
  const list: ModelOption[] = [{ value: '', label: '(the model the server has loaded)' }];
  for (const m of info?.models ?? []) list.push({ value: m, label: m });
  if (wanted && !list.some((o) => o.value === wanted))
    list.push({
      value: wanted,
      label: `${wanted} (${info ? 'not installed on this server' : 'server not connected'})`,
    });
  return list;
}

export interface LoraRow extends LoraChoice {
  /** Alias or path shown beside the name. */
  detail: string;
  installed: boolean;
}

/** One row per installed LoRA, keeping the user's choices; chosen LoRAs the server lacks stay listed. */
export function loraRows(info: ImageServerInfo | undefined, chosen: readonly LoraChoice[]): LoraRow[] {
  const rows: LoraRow[] = (info?.loras ?? []).map((l) => {
    const prior = chosen.find((c) => c.name === l.name || c.name === l.alias);
    return {
      name: l.name,
      weight: prior?.weight ?? '1',
      on: prior?.on ?? false,
      detail: l.alias && l.alias !== l.name ? l.alias : '',
      installed: true,
    };
  });
  for (const c of chosen) {
    if (c.on && !rows.some((r) => r.name === c.name || r.detail === c.name))
      rows.push({
        ...c,
        detail: info ? 'not installed on this server' : 'server not connected',
        installed: false,
      });
  }
  return rows;
}

/**
 * Share of the whole run done (0..1), or undefined when the server gives no figure. The agent
 * reports "image k/n: step s/S" within an image and done/total images between them.
 */
export function overallProgress(report: ProgressReport): number | undefined {
  const { done, total, message } = report;
  if (!total || done === undefined) return undefined;
  const m = /^image (\d+)\/(\d+): /.exec(message ?? '');
  if (total === 100 && /step|%/.test(message ?? '')) {
    const within = done / 100;
    if (!m) return within;
    return (Number(m[1]) - 1 + within) / Number(m[2]);
  }
  return done / total;
}

export interface Failure {
  title: string;
  text: string;
  /** The field to mark, when the failure is about one. */
  field?: FieldId;
}

const FIELD_OF: Record<string, FieldId> = {
  prompt: 'prompt',
  negativePrompt: 'negative',
  model: 'model',
  lora: 'loras',
  loras: 'loras',
  width: 'width',
  height: 'height',
  steps: 'steps',
  seed: 'seed',
  count: 'count',
  server: 'server',
  'image server': 'server',
};

/** The message a failed request gets in the panel: what went wrong, in the user's terms. */
export function describeFailure(e: WebviewError): Failure {
  const field = e.data?.field !== undefined ? FIELD_OF[e.data.field] : undefined;
  const titled = (title: string, f: FieldId | undefined = field): Failure => ({
    title,
    text: e.message,
    ...(f ? { field: f } : {}),
  });
  switch (e.code) {
    case 'E_IMAGEGEN_DOWN':
      return titled('Image server not reachable', 'server');
    case 'E_IMAGEGEN_NOT_SERVER':
      return titled('Not an image server (wrong URL?)', 'server');
    case 'E_IMAGEGEN_MODEL':
      return titled('Not installed on the image server', field ?? 'model');
    case 'E_IMAGEGEN_SIZE':
      return titled('Size refused', field ?? 'width');
    case 'E_USAGE':
      return titled('Check the form');
    case 'E_CANCELLED':
      return { title: 'Cancelled', text: 'The generation was stopped; nothing was kept.' };
    case 'E_AGENT_UNAVAILABLE':
      return titled('The MedLab agent is not running');
    default:
      return titled(`Generation failed (${e.code})`);
  }
}

/** How the seed of an image is known, in words. */
export function seedCaption(m: IllustrationMetadata): string {
  if (m.seed === null) return 'seed unknown (this server takes and reports no seed)';
  if (m.seedSource === 'reported') return `seed ${m.seed}`;
  return `seed ${m.seed} (as sent; the server does not report it)`;
}

/** Model, LoRAs, size and steps of an image, for its caption. */
export function settingsCaption(m: IllustrationMetadata): string {
  return [
    m.model ?? 'server model',
    ...m.loras.map((l) => `LoRA ${l.name}:${l.weight}`),
    `${m.width}×${m.height}`,
    m.steps !== null ? `${m.steps} steps` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
