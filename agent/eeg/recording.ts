/**
 * What the rest of the agent sees of an open EEG recording. The EDF/BDF reader (eeg/edf/)
 * implements it; signal processing, features, predictions and the RPC layer use only this.
 */
import type { EegAnnotation, EegRecordingInfo } from '../protocol';

export interface Recording {
  readonly info: EegRecordingInfo;
  /** All annotations of every annotation signal, sorted by onset (record-start TALs excluded). */
  readonly annotations: readonly EegAnnotation[];
  /**
   * Physical samples (in the signal's unit) of data signals `signals` (indices into
   * `info.signals`) over [start, start + duration) seconds from the recording start.
   * Reads only the data records that overlap the window. Samples that fall in a gap between
   * EDF+D records, or past the end of the data, are NaN. The array length is
   * round(duration * sampleRate) for each signal; the first sample is the one at or after `start`.
   */
  readSignals(signals: readonly number[], start: number, duration: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}
