/**
 * The viewer's state (what is shown and how) and the pure rules that change it: paging and
 * scrolling by keyboard and wheel, time-scale and amplitude steps, montage and filter choices,
 * and restoring a saved state when the tab comes back. No DOM; unit-tested in Node.
 */
import type { FilterSpec, MontageSpec } from '../../agent/protocol';
import type { ViewerDefaults } from './messages';

export const SECONDS_PER_PAGE = [1, 2, 5, 10, 15, 20, 30, 60] as const;
export const MICROVOLTS_PER_MM = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 1000,
] as const;
export const HIGHPASS_HZ = [0.1, 0.3, 0.5, 1, 1.6, 5] as const;
export const LOWPASS_HZ = [15, 30, 35, 40, 50, 70, 100] as const;
export type MontageKind = MontageSpec['kind'];
/** Side panels, in tab order (spectrum and band power share one). */
export type SideTab = 'annotations' | 'channels' | 'spectrum' | 'model';
export const SIDE_TABS: readonly SideTab[] = ['annotations', 'channels', 'spectrum', 'model'];

export interface ViewerState {
  /** Page start, seconds from the recording start. */
  start: number;
  secondsPerPage: number;
  microvoltsPerMm: number;
  montage: MontageKind;
  highpass: number | null;
  lowpass: number | null;
  notch: 0 | 50 | 60;
  negativeUp: boolean;
  /** Channels hidden by the user, per montage (labels differ between montages). */
  hidden: Record<string, string[]>;
  sideTab: SideTab;
  model: string | null;
}

export function initialState(defaults: ViewerDefaults): ViewerState {
  return {
    start: 0,
    secondsPerPage: nearest(SECONDS_PER_PAGE, defaults.secondsPerPage),
    microvoltsPerMm: 7,
    montage: defaults.montage.kind,
    highpass: defaults.filters.highpass ?? null,
    lowpass: defaults.filters.lowpass ?? null,
    notch: defaults.filters.notch ?? 0,
    negativeUp: true,
    hidden: {},
    sideTab: 'annotations',
    model: null,
  };
}

function nearest(list: readonly number[], v: number): number {
  return list.reduce((best, x) => (Math.abs(x - v) < Math.abs(best - v) ? x : best), list[0]);
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A state saved by an earlier instance of the tab, checked field by field against the defaults. */
export function restoreState(saved: unknown, defaults: ViewerDefaults, duration: number): ViewerState {
  const base = initialState(defaults);
  if (!saved || typeof saved !== 'object') return base;
  const s = saved as Partial<Record<keyof ViewerState, unknown>>;
  const state: ViewerState = {
    start: num(s.start) ? s.start : base.start,
    secondsPerPage:
      num(s.secondsPerPage) && (SECONDS_PER_PAGE as readonly number[]).includes(s.secondsPerPage)
        ? s.secondsPerPage
        : base.secondsPerPage,
    microvoltsPerMm:
      num(s.microvoltsPerMm) && (MICROVOLTS_PER_MM as readonly number[]).includes(s.microvoltsPerMm)
        ? s.microvoltsPerMm
        : base.microvoltsPerMm,
    montage:
      s.montage === 'referential' || s.montage === 'average' || s.montage === 'bipolar'
        ? s.montage
        : base.montage,
    highpass: s.highpass === null || num(s.highpass) ? (s.highpass as number | null) : base.highpass,
    lowpass: s.lowpass === null || num(s.lowpass) ? (s.lowpass as number | null) : base.lowpass,
    notch: s.notch === 0 || s.notch === 50 || s.notch === 60 ? s.notch : base.notch,
    negativeUp: typeof s.negativeUp === 'boolean' ? s.negativeUp : base.negativeUp,
    hidden: isHiddenMap(s.hidden) ? s.hidden : {},
    sideTab: SIDE_TABS.includes(s.sideTab as SideTab) ? (s.sideTab as SideTab) : base.sideTab,
    model: typeof s.model === 'string' ? s.model : null,
  };
  state.start = clampStart(state.start, state.secondsPerPage, duration);
  return state;
}

function isHiddenMap(v: unknown): v is Record<string, string[]> {
  return (
    !!v &&
    typeof v === 'object' &&
    Object.values(v).every((list) => Array.isArray(list) && list.every((x) => typeof x === 'string'))
  );
}

/** Keeps the page inside the recording (a page longer than the recording starts at 0). */
export function clampStart(start: number, secondsPerPage: number, duration: number): number {
  const last = Math.max(0, duration - secondsPerPage);
  return Math.min(last, Math.max(0, Math.round(start * 1000) / 1000));
}

export type NavAction =
  | { kind: 'page'; pages: number }
  | { kind: 'seconds'; seconds: number }
  | { kind: 'home' }
  | { kind: 'end' }
  | { kind: 'timeScale'; step: number }
  | { kind: 'amplitude'; step: number };

/** Keyboard shortcuts of the trace canvas. */
export function keyAction(key: string, shift: boolean): NavAction | undefined {
  switch (key) {
    case 'PageDown':
      return { kind: 'page', pages: 1 };
    case 'PageUp':
      return { kind: 'page', pages: -1 };
    case 'ArrowRight':
      return shift ? { kind: 'seconds', seconds: 1 } : { kind: 'page', pages: 1 };
    case 'ArrowLeft':
      return shift ? { kind: 'seconds', seconds: -1 } : { kind: 'page', pages: -1 };
    case 'Home':
      return { kind: 'home' };
    case 'End':
      return { kind: 'end' };
    case 'ArrowUp':
    case '+':
    case '=':
      // Higher sensitivity: fewer µV per mm, bigger traces.
      return { kind: 'amplitude', step: -1 };
    case 'ArrowDown':
    case '-':
      return { kind: 'amplitude', step: 1 };
    case ']':
      return { kind: 'timeScale', step: 1 };
    case '[':
      return { kind: 'timeScale', step: -1 };
    default:
      return undefined;
  }
}

/** Mouse wheel: vertical scroll moves time (a tenth of a page per notch), Ctrl/Cmd changes amplitude. */
export function wheelAction(
  deltaX: number,
  deltaY: number,
  ctrl: boolean,
  secondsPerPage: number,
): NavAction | undefined {
  if (ctrl) return deltaY === 0 ? undefined : { kind: 'amplitude', step: deltaY < 0 ? -1 : 1 };
  const delta = Math.abs(deltaX) > Math.abs(deltaY) ? deltaX : deltaY;
  if (delta === 0) return undefined;
  return { kind: 'seconds', seconds: (delta / 100) * (secondsPerPage / 10) };
}

function stepIn(list: readonly number[], value: number, step: number): number {
  const i = list.indexOf(value);
  const from = i >= 0 ? i : list.indexOf(nearest(list, value));
  return list[Math.min(list.length - 1, Math.max(0, from + step))];
}

export function applyAction(state: ViewerState, action: NavAction, duration: number): ViewerState {
  switch (action.kind) {
    case 'page':
      return {
        ...state,
        start: clampStart(state.start + action.pages * state.secondsPerPage, state.secondsPerPage, duration),
      };
    case 'seconds':
      return { ...state, start: clampStart(state.start + action.seconds, state.secondsPerPage, duration) };
    case 'home':
      return { ...state, start: 0 };
    case 'end':
      return { ...state, start: clampStart(duration, state.secondsPerPage, duration) };
    case 'timeScale': {
      const secondsPerPage = stepIn(SECONDS_PER_PAGE, state.secondsPerPage, action.step);
      return { ...state, secondsPerPage, start: clampStart(state.start, secondsPerPage, duration) };
    }
    case 'amplitude':
      return { ...state, microvoltsPerMm: stepIn(MICROVOLTS_PER_MM, state.microvoltsPerMm, action.step) };
  }
}

/** Page start that shows time `t` about a fifth into the page (annotation jumps). */
export function startShowing(t: number, state: ViewerState, duration: number): number {
  return clampStart(t - state.secondsPerPage * 0.2, state.secondsPerPage, duration);
}

export function montageOf(state: ViewerState): MontageSpec {
  return { kind: state.montage };
}

export function filtersOf(state: ViewerState): FilterSpec {
  const f: FilterSpec = {};
  if (state.highpass !== null) f.highpass = state.highpass;
  if (state.lowpass !== null) f.lowpass = state.lowpass;
  if (state.notch) f.notch = state.notch;
  return f;
}

/** The channels to request: all but the hidden ones of this montage (undefined = all). */
export function channelsToRequest(
  state: ViewerState,
  available: readonly string[] | undefined,
): string[] | undefined {
  const hidden = state.hidden[state.montage];
  if (!available || !hidden || hidden.length === 0) return undefined;
  const shown = available.filter((l) => !hidden.includes(l));
  return shown.length > 0 ? shown : available.slice(0, 1);
}

/**
 * Spectra need one sample rate: of the channels shown, those of the most common rate (ties: the
 * higher rate). Derivations of a montage are passed through (the agent builds them at one rate).
 */
export function oneRateChannels(
  shown: readonly string[],
  signals: readonly { label: string; sampleRate: number }[],
): { channels: string[]; left: number } {
  const rateOf = new Map(signals.map((s) => [s.label, s.sampleRate]));
  const byRate = new Map<number, string[]>();
  for (const label of shown) {
    const rate = rateOf.get(label);
    if (rate === undefined) return { channels: [...shown], left: 0 };
    byRate.set(rate, [...(byRate.get(rate) ?? []), label]);
  }
  let best: [number, string[]] | undefined;
  for (const entry of byRate) {
    if (
      !best ||
      entry[1].length > best[1].length ||
      (entry[1].length === best[1].length && entry[0] > best[0])
    )
      best = entry;
  }
  const channels = best ? best[1] : [];
  return { channels, left: shown.length - channels.length };
}
