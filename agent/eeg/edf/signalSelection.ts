/**
 * Data signals chosen by label (as `--channels A,B` or an RPC list gives them). Exact label
 * first, then case-insensitive; a duplicated label selects every signal that carries it. An
 * unknown label is an E_EEG_CHANNEL error that names it and lists the valid ones.
 */
import { MedLabError } from '../../errors';
import type { EegRecordingInfo } from '../../protocol';

/** Indices into `info.signals`, in the order asked (all data signals when `labels` is absent). */
export function selectSignals(info: EegRecordingInfo, labels: readonly string[] | undefined): number[] {
  if (!labels || labels.length === 0) return info.signals.map((_, i) => i);
  const picked: number[] = [];
  for (const label of labels) {
    let hits = info.signals.flatMap((s, i) => (s.label === label ? [i] : []));
    if (hits.length === 0) {
      const lower = label.toLowerCase();
      hits = info.signals.flatMap((s, i) => (s.label.toLowerCase() === lower ? [i] : []));
    }
    if (hits.length === 0) {
      const valid = info.signals.map((s) => `"${s.label}"`).join(', ');
      throw new MedLabError('E_EEG_CHANNEL', `no signal labelled "${label}"; valid labels: ${valid}`, {
        path: info.path,
        field: label,
      });
    }
    for (const i of hits) if (!picked.includes(i)) picked.push(i);
  }
  return picked;
}
