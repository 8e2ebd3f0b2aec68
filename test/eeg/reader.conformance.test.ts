/**
 * Every conformance, synthetic and eegmat file read by our reader agrees with MNE-Python's
 * reading (reference.mne.json) to float32 precision for every signal MNE did not resample, with
 * the spec-decoded native samples for those it did, and with the spec TAL parse for annotations.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import type { Recording } from '../../agent/eeg/recording';
import { requireSharedData } from '../support/sharedData';

interface RefChannel {
  name: string;
  header_index: number;
  header_label: string;
  unit: string;
  header_rate_hz: number;
  resampled_by_mne: boolean;
  mne_stim_channel?: boolean;
  first64: number[];
  mid64: number[];
  mean: number;
  std: number;
  native_first64_spec?: number[];
}
interface RefAnnotation {
  onset: number;
  duration: number | null;
  text: string;
}
interface RefFile {
  file: string;
  header: { n_records: number; complete_records_in_file: number; record_duration: number };
  spec_meas_date: string;
  mne: { sfreq: number; n_times: number };
  channels: RefChannel[];
  annotations: RefAnnotation[];
  spec_annotations: RefAnnotation[];
  spec_record_starts?: string | number[];
  spec_gaps_s?: [number, number][];
}

/** Seconds from the header start time to the first record (EDF+ sub-second start). */
function firstRecordStart(f: RefFile): number {
  const s = f.spec_record_starts;
  if (Array.isArray(s)) return s[0];
  const m = /contiguous from ([\d.]+) s/.exec(s ?? '');
  return m ? Number(m[1]) : 0;
}

/** float32 agreement: relative 2e-6 (reference has 7 significant digits) or one digital step. */
function assertClose(actual: ArrayLike<number>, expected: number[], step: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tol = Math.max(2e-6 * Math.abs(expected[i]), Math.abs(step) * 1.001);
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `${what}[${i}]: got ${actual[i]}, MNE ${expected[i]} (tolerance ${tol})`,
    );
  }
}

function sameAnnotations(
  ours: readonly { onset: number; duration: number; text: string }[],
  theirs: RefAnnotation[],
  shift: number,
  what: string,
): void {
  const key = (a: { onset: number; text: string }) => `${a.onset.toFixed(3)} ${a.text}`;
  const a = [...ours].sort((x, y) => x.onset - y.onset || (x.text < y.text ? -1 : 1));
  const b = theirs
    .map((t) => ({ onset: t.onset - shift, duration: t.duration ?? 0, text: t.text }))
    .sort((x, y) => x.onset - y.onset || (x.text < y.text ? -1 : 1));
  assert.equal(a.length, b.length, `${what}: ${a.length} annotations, spec parse ${b.length}`);
  a.forEach((x, i) => {
    assert.equal(x.text, b[i].text, `${what} #${i}: ${key(x)} vs ${key(b[i])}`);
    assert.ok(Math.abs(x.onset - b[i].onset) < 1e-3, `${what} #${i} onset ${x.onset} vs ${b[i].onset}`);
    assert.ok(
      Math.abs(x.duration - b[i].duration) < 1e-3,
      `${what} #${i} duration ${x.duration} vs ${b[i].duration}`,
    );
  });
}

describe('EDF/BDF reader against MNE-Python (reference.mne.json)', function () {
  this.timeout(60000);
  const root = requireSharedData(this.ctx as Mocha.Context, 'eeg');
  const refPath = path.join(root, 'reference.mne.json');
  const files: RefFile[] = fs.existsSync(refPath)
    ? (JSON.parse(fs.readFileSync(refPath, 'utf8')) as { files: RefFile[] }).files
    : [];

  for (const ref of files) {
    describe(ref.file, () => {
      let rec: Recording;
      before(async () => {
        rec = await openRecording(path.join(root, ref.file));
      });
      after(() => rec?.close());

      it('has the start date/time of the spec rule and the expected record count', () => {
        const shift = firstRecordStart(ref);
        assert.equal(rec.info.startTime.slice(0, 19), ref.spec_meas_date.slice(0, 19));
        if (shift > 0) assert.ok(Math.abs(Number(`0${rec.info.startTime.slice(19)}`) - shift) < 1e-6);
        const expected =
          ref.header.n_records === -1
            ? ref.header.complete_records_in_file
            : Math.min(ref.header.n_records, ref.header.complete_records_in_file);
        assert.equal(rec.info.recordCount, expected);
      });

      for (const ch of ref.channels) {
        it(`signal ${ch.header_index} "${ch.header_label}" matches ${ch.resampled_by_mne ? 'the spec decoding (MNE resampled it)' : 'MNE'}`, async () => {
          const k = rec.info.signals.findIndex((s) => s.index === ch.header_index);
          assert.ok(k >= 0, `signal ${ch.header_index} missing`);
          const s = rec.info.signals[k];
          assert.equal(s.label, ch.header_label);
          assert.equal(s.unit, ch.unit);
          assert.ok(Math.abs(s.sampleRate - ch.header_rate_hz) < 1e-9, `rate ${s.sampleRate}`);
          const step = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
          const digitalOffset = s.physicalMin - s.digitalMin * step;
          const asMne = (x: Float32Array): number[] =>
            ch.mne_stim_channel
              ? Array.from(x, (v) => Math.round((v - digitalOffset) / step) & 0x1ffff)
              : Array.from(x);
          const stepShown = ch.mne_stim_channel ? 0 : step;
          // EDF+D: MNE joins the records, so compare with our samples outside the gaps.
          const [whole] = await rec.readSignals([k], 0, rec.info.duration);
          const all = whole.filter((v) => !Number.isNaN(v));
          assert.equal(all.length, s.sampleCount);
          const contiguous = rec.info.segments.length <= 1;
          const [first] = contiguous
            ? await rec.readSignals([k], 0, 64 / s.sampleRate)
            : [all.subarray(0, 64)];
          if (ch.resampled_by_mne) {
            const native = ch.native_first64_spec!;
            assertClose(first.subarray(0, native.length), native, step, 'native first64');
            return;
          }
          const n = Math.min(64, s.sampleCount);
          assertClose(asMne(first.subarray(0, n)), ch.first64.slice(0, n), stepShown, 'first64');
          const mid = Math.floor(ref.mne.n_times / 2);
          const [middle] = contiguous
            ? await rec.readSignals([k], mid / s.sampleRate, ch.mid64.length / s.sampleRate)
            : [all.subarray(mid, mid + ch.mid64.length)];
          assertClose(asMne(middle), ch.mid64, stepShown, 'mid64');
          const values = asMne(all);
          const mean = values.reduce((a, v) => a + v, 0) / values.length;
          const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
          const tol =
            1e-5 * Math.max(Math.abs(ch.std), Math.abs(ch.mean)) + Math.abs(stepShown) * 1e-3 + 1e-9;
          assert.ok(Math.abs(mean - ch.mean) <= tol, `mean ${mean} vs ${ch.mean}`);
          assert.ok(Math.abs(std - ch.std) <= tol, `std ${std} vs ${ch.std}`);
        });
      }

      it('has every annotation of the spec TAL parse (onsets from the first record)', () => {
        sameAnnotations(rec.annotations, ref.spec_annotations, firstRecordStart(ref), 'spec');
        assert.equal(rec.info.annotationCount, rec.annotations.length);
      });

      if (!ref.file.includes('MB0400FU')) {
        it("includes each of MNE's annotations (onset within 1 ms, same text)", () => {
          for (const m of ref.annotations) {
            const hit = rec.annotations.find((a) => a.text === m.text && Math.abs(a.onset - m.onset) < 1e-3);
            assert.ok(hit, `MNE annotation ${m.onset} "${m.text}" not found`);
          }
        });
      }

      if (ref.spec_gaps_s) {
        it('honours EDF+D record start times: the known gaps are gaps', () => {
          const segs = rec.info.segments;
          const gaps = segs.slice(1).map((s, i) => [segs[i].start + segs[i].duration, s.start]);
          assert.deepEqual(gaps, ref.spec_gaps_s);
        });
      }
    });
  }
});
