/**
 * What happens during a synthetic recording: a 60-s cycle repeated for its whole length.
 * 0–30 s eyes closed (strong posterior alpha), 30–60 s eyes open with blinks; every second
 * cycle a 2.5-s muscle burst on the temporal electrodes; every fifth (from the third) an
 * electrode pop on C3. Timing inside a cycle comes from a PRNG seeded by (seed, cycle), so
 * any stretch of any cycle can be generated on its own and always the same.
 */
import { deriveSeed, Prng } from './prng';

export const CYCLE_SECONDS = 60;
export const EYES_OPEN_AT = 30;

export interface Cycle {
  index: number;
  /** Absolute blink peak times in seconds. */
  blinks: number[];
  /** Muscle artefact [start, end) in seconds, if this cycle has one. */
  muscle?: [number, number];
  /** Electrode pop onset on C3 in seconds, if any. */
  pop?: number;
}

export interface ScriptAnnotation {
  onset: number;
  duration: number;
  text: string;
}

export function cycle(seed: number, index: number): Cycle {
  const rng = new Prng(deriveSeed(seed, index));
  const t0 = index * CYCLE_SECONDS;
  const blinks: number[] = [];
  let t = EYES_OPEN_AT + rng.between(0.8, 2.5);
  while (t < CYCLE_SECONDS - 1) {
    blinks.push(t0 + t);
    t += rng.between(2.5, 6);
  }
  const c: Cycle = { index, blinks };
  if (index % 2 === 1) {
    const s = t0 + rng.between(38, 44);
    c.muscle = [s, s + 2.5];
  }
  if (index % 5 === 2) c.pop = t0 + 50 + rng.between(0, 4);
  return c;
}

/** The cycles that overlap [from, to) seconds. */
export function cyclesIn(seed: number, from: number, to: number): Cycle[] {
  const out: Cycle[] = [];
  for (let i = Math.max(0, Math.floor(from / CYCLE_SECONDS)); i * CYCLE_SECONDS < to; i++)
    out.push(cycle(seed, i));
  return out;
}

/** Annotations of the script with onsets in [from, to), in time order. */
export function scriptAnnotations(seed: number, from: number, to: number): ScriptAnnotation[] {
  const out: ScriptAnnotation[] = [];
  for (const c of cyclesIn(seed, from, to)) {
    const t0 = c.index * CYCLE_SECONDS;
    out.push({ onset: t0, duration: EYES_OPEN_AT, text: 'Eyes closed' });
    out.push({ onset: t0 + EYES_OPEN_AT, duration: CYCLE_SECONDS - EYES_OPEN_AT, text: 'Eyes open' });
    for (const b of c.blinks)
      out.push({ onset: Number((b - 0.15).toFixed(3)), duration: 0.4, text: 'Blink' });
    if (c.muscle) {
      out.push({
        onset: Number(c.muscle[0].toFixed(3)),
        duration: Number((c.muscle[1] - c.muscle[0]).toFixed(3)),
        text: 'Muscle artefact (jaw clench) T3/T4',
      });
    }
    if (c.pop !== undefined)
      out.push({ onset: Number(c.pop.toFixed(3)), duration: 1, text: 'Electrode pop C3' });
  }
  return out.filter((a) => a.onset >= from && a.onset < to).sort((a, b) => a.onset - b.onset);
}
