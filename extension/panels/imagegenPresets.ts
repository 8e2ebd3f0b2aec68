/**
 * The lab's prompt presets as the user edited them in this workspace. The defaults come from the
 * agent (imagegen/presets); only the differences are stored (workspaceState), so improved
 * defaults still reach presets nobody touched. Pure; the panel passes the store.
 */
import type { ImagegenPreset } from '../../agent/protocol';
import { AgentRequestError } from '../agent/client';

export const PRESET_EDITS_KEY = 'medlab.imagegen.presetEdits';

/** Preset id -> the user's text. */
export type PresetEdits = Record<string, { prompt: string; negativePrompt: string }>;

export interface PresetView {
  presets: ImagegenPreset[];
  /** Ids whose text differs from the default. */
  edited: string[];
}

/** Reads what a store returned, ignoring anything that is not an edit (an older or foreign value). */
export function parseEdits(raw: unknown): PresetEdits {
  const out: PresetEdits = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    const e = v as { prompt?: unknown; negativePrompt?: unknown } | null;
    if (e && typeof e.prompt === 'string' && typeof e.negativePrompt === 'string')
      out[id] = { prompt: e.prompt, negativePrompt: e.negativePrompt };
  }
  return out;
}

function usage(message: string): AgentRequestError {
  return new AgentRequestError('imagegen/preset', 'E_USAGE', message, { code: 'E_USAGE', field: 'prompt' });
}

export function applyEdits(defaults: readonly ImagegenPreset[], edits: PresetEdits): PresetView {
  const edited: string[] = [];
  const presets = defaults.map((p) => {
    const e = edits[p.id];
    if (!e) return { ...p };
    edited.push(p.id);
    return { ...p, prompt: e.prompt, negativePrompt: e.negativePrompt };
  });
  return { presets, edited };
}

/** Records an edit; an edit back to the default text is forgotten. Unknown ids are refused. */
export function editPreset(
  defaults: readonly ImagegenPreset[],
  edits: PresetEdits,
  preset: Pick<ImagegenPreset, 'id' | 'prompt' | 'negativePrompt'>,
): PresetEdits {
  const base = defaults.find((p) => p.id === preset.id);
  if (!base) throw usage(`there is no preset "${preset.id}"`);
  const next = { ...edits };
  const prompt = preset.prompt.trim();
  const negativePrompt = preset.negativePrompt.trim();
  if (!prompt) throw usage('a preset needs a prompt');
  if (prompt === base.prompt && negativePrompt === base.negativePrompt) delete next[preset.id];
  else next[preset.id] = { prompt, negativePrompt };
  return next;
}

export function resetPreset(edits: PresetEdits, id: string): PresetEdits {
  const next = { ...edits };
  delete next[id];
  return next;
}
