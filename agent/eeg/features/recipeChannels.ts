/**
 * Channel matching of the relative-PSD recipe (shared/data/eeg-clinical/ad-cn-adfsu/README.md,
 * "THE RECIPE", step 1): the 19 channels of the 10-20 system in a fixed order, found in any
 * recording by name. This is the recipe's own rule, kept literally so that the features equal
 * recipe.py's for every file: drop a leading "EEG", cut at the first "-" or space, compare
 * case-insensitively, T7/T8/P7/P8 stand for T3/T4/T5/T6; the first matching signal wins.
 */
import { MedLabError } from '../../errors';
import type { EegSignalInfo } from '../../protocol';

/** The recipe's channel order (old 10-20 names). */
// prettier-ignore
export const RECIPE_CHANNELS = [
  'Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8', 'T3', 'C3', 'Cz',
  'C4', 'T4', 'T5', 'P3', 'Pz', 'P4', 'T6', 'O1', 'O2',
] as const;

const ALIASES: Record<string, string> = { T7: 'T3', T8: 'T4', P7: 'T5', P8: 'T6' };
const BY_UPPER = new Map<string, string>(RECIPE_CHANNELS.map((c) => [c.toUpperCase(), c]));

/** 'EEG Fp1-REF' -> 'Fp1', 'FP1' -> 'Fp1', 'EEG T7' -> 'T3'; undefined when not one of the 19. */
export function recipeChannelName(label: string): string | undefined {
  const stripped = label
    .trim()
    .replace(/^EEG\s*/i, '')
    .trim();
  const head = stripped.split(/[-\s]/)[0].toUpperCase();
  const name = ALIASES[head] ?? head;
  return BY_UPPER.get(name.toUpperCase());
}

export interface RecipeChannel {
  /** Recipe name (Fp1 ... O2). */
  name: string;
  /** Position in the recording's `info.signals` (what `Recording.readSignals` takes). */
  signal: number;
  /** The label as written in the file (e.g. "EEG Fp1-REF"). */
  label: string;
}

/**
 * The 19 recipe channels of a recording, in recipe order. Throws E_EEG_CHANNEL naming the
 * missing ones, or when the 19 do not share one sample rate (the common average needs it).
 */
export function matchRecipeChannels(signals: readonly EegSignalInfo[], path?: string): RecipeChannel[] {
  const found = new Map<string, { info: EegSignalInfo; position: number }>();
  signals.forEach((info, position) => {
    const name = recipeChannelName(info.label);
    if (name && !found.has(name)) found.set(name, { info, position });
  });
  const missing = RECIPE_CHANNELS.filter((c) => !found.has(c));
  if (missing.length) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      `the recording lacks 10-20 channel${missing.length > 1 ? 's' : ''} ${missing.join(', ')} needed by the relative-PSD recipe`,
      { path, detail: { missing: missing.join(',') } },
    );
  }
  const channels = RECIPE_CHANNELS.map((name) => {
    const s = found.get(name)!;
    return { name, signal: s.position, label: s.info.label };
  });
  const rates = new Set(channels.map((c) => found.get(c.name)!.info.sampleRate));
  if (rates.size > 1) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      `the 19 recipe channels have different sample rates (${[...rates].join(', ')} Hz); the recipe needs one`,
      { path },
    );
  }
  return channels;
}
