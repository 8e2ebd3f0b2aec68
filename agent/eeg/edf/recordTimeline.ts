/**
 * When each data record starts. EDF and EDF+C records are contiguous; EDF+D records start where
 * their time-keeping TAL says, and the time between them is a gap. Time 0 is the start of the
 * first record (the header start time plus the first record's sub-second TAL onset). Pure.
 */
import type { EegSegment, EegWarning } from '../../protocol';

/** The header start time is the first record's start rounded down: a day away is a broken TAL. */
const MAX_FIRST_OFFSET = 86400;

export interface RecordTimeline {
  /** Header start time + firstOffset = time 0 (seconds; EDF+ sub-second start). */
  firstOffset: number;
  /** Record r starts at r * recordDuration when undefined, else at starts[r]. */
  starts: Float64Array | undefined;
  segments: EegSegment[];
  /** From time 0 to the end of the last record. */
  duration: number;
}

export function recordTimeline(
  tkStarts: Float64Array,
  recordDuration: number,
  discontinuous: boolean,
  maxSampleRate: number,
  warnings: EegWarning[],
): RecordTimeline {
  const n = tkStarts.length;
  let firstOffset = n > 0 && Number.isFinite(tkStarts[0]) ? tkStarts[0] : 0;
  if (Math.abs(firstOffset) >= MAX_FIRST_OFFSET) {
    warnings.push({
      code: 'E_EDF_ANNOTATION',
      message: `the first record's time-keeping TAL puts it ${firstOffset} s from the header start time; taken as 0`,
    });
    firstOffset = 0;
  }
  const contiguous = (): RecordTimeline => ({
    firstOffset,
    starts: undefined,
    segments: n > 0 && recordDuration > 0 ? [{ start: 0, duration: n * recordDuration }] : [],
    duration: n * recordDuration,
  });
  if (n === 0 || recordDuration === 0) return contiguous();
  // Gaps shorter than half a sample of the fastest signal cannot show on any sample grid.
  const tolerance = Math.max(1e-6, maxSampleRate > 0 ? 0.5 / maxSampleRate : 0);

  if (!discontinuous) {
    for (let r = 1; r < n; r++) {
      const t = tkStarts[r];
      if (Number.isFinite(t) && Math.abs(t - firstOffset - r * recordDuration) > tolerance) {
        warnings.push({
          code: 'E_EDF_ANNOTATION',
          message: `record ${r + 1} starts at ${+(t - firstOffset).toFixed(6)} s by its time-keeping TAL, but the file is marked continuous; records are read as contiguous`,
        });
        break;
      }
    }
    return contiguous();
  }

  const starts = new Float64Array(n);
  let missing = 0;
  for (let r = 0; r < n; r++) {
    const t = tkStarts[r];
    if (Number.isFinite(t)) starts[r] = t - firstOffset;
    else {
      starts[r] = r === 0 ? 0 : starts[r - 1] + recordDuration;
      missing++;
    }
  }
  if (missing > 0) {
    warnings.push({
      code: 'E_EDF_ANNOTATION',
      message: `${missing} of ${n} records of this EDF+D file have no time-keeping TAL; each was placed right after the previous record`,
    });
  }
  for (let r = 1; r < n; r++) {
    if (starts[r] < starts[r - 1] + recordDuration - tolerance) {
      warnings.push({
        code: 'E_EDF_ANNOTATION',
        message: `record ${r + 1} starts at ${+starts[r].toFixed(6)} s, before record ${r} ends; records are read as contiguous`,
      });
      return contiguous();
    }
  }
  const segments: EegSegment[] = [];
  let segStart = starts[0];
  let segEnd = starts[0] + recordDuration;
  for (let r = 1; r < n; r++) {
    if (starts[r] > segEnd + tolerance) {
      segments.push({ start: segStart, duration: segEnd - segStart });
      segStart = starts[r];
    }
    segEnd = starts[r] + recordDuration;
  }
  segments.push({ start: segStart, duration: segEnd - segStart });
  return { firstOffset, starts, segments, duration: segEnd };
}
