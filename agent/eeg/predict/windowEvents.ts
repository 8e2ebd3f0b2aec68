/**
 * From per-window probabilities to events: on each channel, windows whose probability of the
 * event label reaches the threshold are joined while they overlap or touch; then intervals of
 * all channels that overlap are merged into one event, which lists its channels and carries
 * the highest window probability inside it.
 */
import type { EegPrediction } from '../../protocol';

export type ScoredWindow = EegPrediction['windows'][number];
export type EegEvent = EegPrediction['events'][number];

interface Interval {
  start: number;
  end: number;
  probability: number;
  channels: Set<string>;
}

function mergeSorted(items: Interval[]): Interval[] {
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const it of items) {
    const last = out.at(-1);
    if (last && it.start <= last.end + 1e-9) {
      last.end = Math.max(last.end, it.end);
      last.probability = Math.max(last.probability, it.probability);
      for (const c of it.channels) last.channels.add(c);
    } else {
      out.push({ ...it, channels: new Set(it.channels) });
    }
  }
  return out;
}

export function mergeEvents(
  windows: readonly ScoredWindow[],
  labelIndex: number,
  label: string,
  threshold: number,
): EegEvent[] {
  const byChannel = new Map<string, Interval[]>();
  for (const w of windows) {
    const p = w.probabilities[labelIndex];
    if (!(p >= threshold)) continue;
    const ch = w.channel ?? '';
    const list = byChannel.get(ch) ?? [];
    list.push({ start: w.start, end: w.start + w.duration, probability: p, channels: new Set([ch]) });
    byChannel.set(ch, list);
  }
  const perChannel = [...byChannel.values()].flatMap(mergeSorted);
  return mergeSorted(perChannel).map((e) => ({
    start: e.start,
    duration: e.end - e.start,
    label,
    probability: e.probability,
    channels: [...e.channels].filter((c) => c !== '').sort(),
  }));
}
