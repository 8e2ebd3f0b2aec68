/**
 * Montages by 10-20 electrode names: referential (as recorded), common average reference, and
 * bipolar chains (the "double banana" by default).
 *
 * Labels are matched tolerantly: a leading "EEG", a reference suffix ("-REF", "-LE", "-A1",
 * "-AVG", " Ref"...), spaces and letter case are ignored, and the older names T3/T4/T5/T6 are
 * the same electrodes as T7/T8/P7/P8 (each file keeps its own naming in the labels shown).
 * A label whose suffix is another scalp electrode ("Fp1-F7") is already a bipolar derivation
 * and is never taken for the first electrode.
 */
import { MedLabError } from '../../errors';
import type { EegSignalInfo, MontageSpec } from '../../protocol';

/** 10-20 and 10-10 scalp sites (modern names) plus ear/mastoid references. */
const SITES = [
  'Fp1 Fpz Fp2 AF7 AF3 AFz AF4 AF8',
  'F9 F7 F5 F3 F1 Fz F2 F4 F6 F8 F10',
  'FT9 FT7 FC5 FC3 FC1 FCz FC2 FC4 FC6 FT8 FT10',
  'T9 T7 C5 C3 C1 Cz C2 C4 C6 T8 T10',
  'TP9 TP7 CP5 CP3 CP1 CPz CP2 CP4 CP6 TP8 TP10',
  'P9 P7 P5 P3 P1 Pz P2 P4 P6 P8 P10',
  'PO7 PO3 POz PO4 PO8 O1 Oz O2 Iz',
  'A1 A2 M1 M2',
].flatMap((row) => row.split(' '));
/** Reference electrodes: part of a label's suffix, never a scalp channel of a montage. */
const EAR_SITES = new Set(['A1', 'A2', 'M1', 'M2']);
/** Old 10-20 names and their modern equivalents. */
const OLD_TO_MODERN: Record<string, string> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };

const SITE_BY_UPPER = new Map<string, string>(SITES.map((s) => [s.toUpperCase(), s]));
for (const old of Object.keys(OLD_TO_MODERN)) SITE_BY_UPPER.set(old, old);

export interface Electrode {
  /** Modern 10-10 name (T7, not T3). */
  site: string;
  /** The name as this file writes it, in canonical case (T3 if the file says "EEG T3-REF"). */
  written: string;
  /** What followed the electrode name ("REF", "LE", "A1", "F7"...), if anything. */
  suffix?: string;
}

/** Canonical case of a site name in either naming ('t3' -> 'T3', 'FP1' -> 'Fp1'), or undefined. */
function knownSite(token: string): string | undefined {
  return SITE_BY_UPPER.get(token.toUpperCase());
}

function modern(written: string): string {
  return OLD_TO_MODERN[written] ?? written;
}

/**
 * The electrode a signal label names: "EEG Fp1-REF" -> Fp1, "T3-LE" -> T7 (written T3),
 * "eeg o2" -> O2. Undefined for non-EEG signals ("ECG", "Resp") and for bipolar labels
 * whose suffix is a scalp electrode ("Fp1-F7").
 */
export function parseElectrode(label: string): Electrode | undefined {
  const s = label.trim().replace(/^EEG[\s_:]*/i, '');
  const m = /^([A-Za-z]+\d*)(?:[\s_:-]+(.*))?$/.exec(s);
  if (!m) return undefined;
  const written = knownSite(m[1]);
  if (!written) return undefined;
  const suffix = m[2]?.trim() || undefined;
  if (suffix) {
    const other = knownSite(suffix.replace(/[\s_]+$/, ''));
    if (other && !EAR_SITES.has(modern(other))) return undefined;
  }
  return { site: modern(written), written, suffix };
}

/** One output trace: `plus` minus (`minus` | the common average | nothing). */
export interface Derivation {
  label: string;
  unit: string;
  sampleRate: number;
  /** Position in the recording's `info.signals` (what `Recording.readSignals` takes). */
  plus: number;
  minus?: number;
  /** Subtract the mean of `MontagePlan.averageOf` at each sample. */
  average?: boolean;
}

export interface MontagePlan {
  derivations: Derivation[];
  /** Signals whose per-sample mean is the common average reference (empty unless average). */
  averageOf: number[];
}

/** Double banana (modern names): left/right temporal and parasagittal chains, then the midline. */
// prettier-ignore
export const DOUBLE_BANANA: readonly [string, string][] = [
  ['Fp1', 'F7'], ['F7', 'T7'], ['T7', 'P7'], ['P7', 'O1'],
  ['Fp2', 'F8'], ['F8', 'T8'], ['T8', 'P8'], ['P8', 'O2'],
  ['Fp1', 'F3'], ['F3', 'C3'], ['C3', 'P3'], ['P3', 'O1'],
  ['Fp2', 'F4'], ['F4', 'C4'], ['C4', 'P4'], ['P4', 'O2'],
  ['Fz', 'Cz'], ['Cz', 'Pz'],
];

interface Scalp {
  signal: EegSignalInfo;
  /** Position in `info.signals`. */
  position: number;
  electrode: Electrode;
}

/** Scalp electrodes of the recording by modern site name (first signal wins on duplicates). */
function scalpElectrodes(signals: readonly EegSignalInfo[]): Map<string, Scalp> {
  const bySite = new Map<string, Scalp>();
  signals.forEach((signal, position) => {
    const electrode = parseElectrode(signal.label);
    if (electrode && !EAR_SITES.has(electrode.site) && !bySite.has(electrode.site)) {
      bySite.set(electrode.site, { signal, position, electrode });
    }
  });
  return bySite;
}

/** Signals that name no electrode at all (ECG, EMG, respiration...): shown as recorded in every montage. */
function otherSignals(signals: readonly EegSignalInfo[]): Derivation[] {
  return signals
    .map((s, position) => ({ label: s.label, unit: s.unit, sampleRate: s.sampleRate, plus: position }))
    .filter((d) => !parseElectrode(d.label) && !/^\s*EEG\b/i.test(d.label));
}

function mostCommonRate(items: readonly Scalp[]): number {
  const counts = new Map<number, number>();
  for (const it of items) counts.set(it.signal.sampleRate, (counts.get(it.signal.sampleRate) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [rate, n] of counts) if (n > bestCount) [best, bestCount] = [rate, n];
  return best;
}

/**
 * Whether a derivation carries EEG (and so takes the EEG filters): bipolar and average-referenced
 * traces, and signals named by an electrode or labelled "EEG ...". ECG, respiration, SpO2,
 * trigger and counter channels are shown as recorded.
 */
export function isEegDerivation(d: Derivation): boolean {
  return (
    d.minus !== undefined ||
    d.average === true ||
    parseElectrode(d.label) !== undefined ||
    /^\s*EEG\b/i.test(d.label)
  );
}

/** Which signals to read and how to combine them for `spec`. */
export function planMontage(
  signals: readonly EegSignalInfo[],
  spec: MontageSpec = { kind: 'referential' },
): MontagePlan {
  if (spec.kind === 'referential') {
    return {
      derivations: signals.map((s, position) => ({
        label: s.label,
        unit: s.unit,
        sampleRate: s.sampleRate,
        plus: position,
      })),
      averageOf: [],
    };
  }
  const scalp = scalpElectrodes(signals);
  if (spec.kind === 'average') {
    const all = [...scalp.values()];
    if (all.length < 2) {
      throw new MedLabError(
        'E_EEG_CHANNEL',
        `average reference needs at least 2 scalp EEG channels; found ${all.length}`,
      );
    }
    // The average is taken sample by sample, so only channels of one rate can share it.
    const rate = mostCommonRate(all);
    const members = all.filter((s) => s.signal.sampleRate === rate);
    return {
      derivations: [
        ...members.map((s) => ({
          label: `${s.electrode.written}-AVG`,
          unit: s.signal.unit,
          sampleRate: rate,
          plus: s.position,
          average: true,
        })),
        ...otherSignals(signals),
      ],
      averageOf: members.map((s) => s.position),
    };
  }
  const explicit = spec.pairs !== undefined;
  const pairs = spec.pairs ?? DOUBLE_BANANA;
  const derivations: Derivation[] = [];
  for (const [a, b] of pairs) {
    const pa = scalp.get(modern(knownSite(a) ?? a));
    const pb = scalp.get(modern(knownSite(b) ?? b));
    if (!pa || !pb || pa.signal.sampleRate !== pb.signal.sampleRate) {
      if (!explicit) continue;
      const why = !pa
        ? `no channel for electrode ${a}`
        : !pb
          ? `no channel for electrode ${b}`
          : 'different sample rates';
      throw new MedLabError('E_EEG_CHANNEL', `bipolar pair ${a}-${b}: ${why}`, { field: `${a}-${b}` });
    }
    derivations.push({
      label: `${pa.electrode.written}-${pb.electrode.written}`,
      unit: pa.signal.unit,
      sampleRate: pa.signal.sampleRate,
      plus: pa.position,
      minus: pb.position,
    });
  }
  if (derivations.length === 0) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      'no bipolar pair of the double banana matches the channels of this recording',
    );
  }
  return { derivations: [...derivations, ...otherSignals(signals)], averageOf: [] };
}

/**
 * Keeps the derivations named in `labels` (in that order). A name matches a derivation label
 * exactly (case-insensitive), or by electrode ("O1" selects "EEG O1-REF" or "O1-AVG").
 */
export function selectDerivations(plan: MontagePlan, labels: readonly string[] | undefined): MontagePlan {
  if (!labels || labels.length === 0) return plan;
  const chosen: Derivation[] = [];
  for (const wanted of labels) {
    const w = wanted.trim().toLowerCase();
    let d = plan.derivations.find((x) => x.label.toLowerCase() === w);
    if (!d) {
      const e = parseElectrode(wanted);
      if (e)
        d = plan.derivations.find((x) => x.minus === undefined && parseElectrode(x.label)?.site === e.site);
    }
    if (!d) {
      const known = plan.derivations.map((x) => x.label).join(', ');
      throw new MedLabError('E_EEG_CHANNEL', `no channel "${wanted}" in this montage (channels: ${known})`, {
        field: wanted,
      });
    }
    chosen.push(d);
  }
  return { derivations: chosen, averageOf: plan.derivations.some((d) => d.average) ? plan.averageOf : [] };
}

/** The signal indices a plan reads. */
export function signalsOf(plan: MontagePlan): number[] {
  const set = new Set<number>(plan.averageOf);
  for (const d of plan.derivations) {
    set.add(d.plus);
    if (d.minus !== undefined) set.add(d.minus);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * Mean of the given traces at each sample, over the finite values only (NaN where none is):
 * a channel with a dropout does not blank the reference of the others.
 */
export function commonAverage(traces: readonly ArrayLike<number>[]): Float64Array {
  const n = traces.length ? Math.min(...traces.map((t) => t.length)) : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (const t of traces) {
      const v = t[i];
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    out[i] = count ? sum / count : NaN;
  }
  return out;
}

/** Derivation traces from the signals' samples (`data` maps position in info.signals -> samples). */
export function applyMontage(
  plan: MontagePlan,
  data: ReadonlyMap<number, ArrayLike<number>>,
): Float64Array[] {
  const get = (i: number): ArrayLike<number> => {
    const d = data.get(i);
    if (!d) throw new MedLabError('E_INTERNAL', `montage input for signal ${i} was not read`);
    return d;
  };
  const needsAverage = plan.derivations.some((d) => d.average);
  const avg = needsAverage ? commonAverage(plan.averageOf.map(get)) : undefined;
  return plan.derivations.map((d) => {
    const plus = get(d.plus);
    const minus = d.minus !== undefined ? get(d.minus) : d.average ? avg : undefined;
    const n = minus ? Math.min(plus.length, minus.length) : plus.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = minus ? plus[i] - minus[i] : plus[i];
    return out;
  });
}
