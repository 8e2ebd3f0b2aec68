/**
 * Behaviour of the EDF/BDF reader that users rely on beyond matching MNE: EDF+D gaps, refusal
 * of broken headers with field and offset, truncated files, dates, windows, annotations.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import { MedLabError } from '../../agent/errors';
import { EdfWriter, writeEdf, type EdfWriterSpec } from '../../samples/edf/writer';
import { requireSharedData } from '../support/sharedData';

function rejectsWith(code: string, field: RegExp, offset: number) {
  return (e: unknown) => {
    assert.ok(e instanceof MedLabError, `not a MedLabError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.data.field ?? '', field, e.message);
    assert.equal(e.data.offset, offset, e.message);
    assert.ok(e.message.includes(`byte ${offset}`), `message names the byte offset: ${e.message}`);
    return true;
  };
}

describe('EDF reader: shared synthetic files', function () {
  this.timeout(30000);
  const dir = requireSharedData(this.ctx as Mocha.Context, 'eeg', 'synthetic');
  const file = (name: string) => path.join(dir, name);

  it('EDF+D: samples sit at their record times, gaps are NaN, Time equals its own time axis', async () => {
    const rec = await openRecording(file('syn_edfplusd_gaps.edf'));
    try {
      assert.equal(rec.info.format, 'EDF+D');
      assert.equal(rec.info.duration, 22.25);
      const t = rec.info.signals.findIndex((s) => s.label === 'Time');
      const [time] = await rec.readSignals([t], 0, rec.info.duration);
      assert.equal(time.length, 223);
      let data = 0;
      for (let k = 0; k < time.length; k++) {
        const at = k / 10;
        const inGap =
          (at >= 4 && at < 5) || (at >= 7 && at < 10.5) || (at >= 12.5 && at < 20.25) || at >= 22.25;
        if (inGap) assert.ok(Number.isNaN(time[k]), `t=${at} should be a gap, got ${time[k]}`);
        else {
          // Records at 0, 5 and 10.5 s fall on the 10 Hz grid; those at 20.25 and 21.25 s cannot,
          // and sit at the nearest grid sample (at most half a sample late or early).
          const tolerance = at >= 20.25 ? 0.05 + 1e-6 : 1e-3;
          assert.ok(Math.abs(time[k] - at) <= tolerance, `Time at ${at} s reads ${time[k]}`);
          data++;
        }
      }
      assert.equal(data, 100);
      // A window inside one gap and one spanning a gap boundary.
      const [gap] = await rec.readSignals([t], 13, 2);
      assert.ok(gap.every(Number.isNaN));
      const [edge] = await rec.readSignals([t], 20, 0.5);
      assert.deepEqual(Array.from(edge.subarray(0, 3)), [NaN, NaN, NaN]);
      assert.ok(Math.abs(edge[3] - 20.25) < 1e-3, `first sample of the record at 20.25 s: ${edge[3]}`);
      assert.deepEqual(
        rec.annotations.map((a) => [a.onset, a.text]),
        [
          [0, 'Segment 1 start'],
          [5, 'Segment 2 start'],
          [10.5, 'Segment 3 start'],
          [20.25, 'Segment 4 start'],
          [21.75, 'Last event'],
        ],
      );
    } finally {
      await rec.close();
    }
  });

  const refusals: [string, RegExp, number][] = [
    ['bad_version.edf', /^version$/, 0],
    ['bad_nonnumeric_nrecords.edf', /^number of data records$/, 236],
    ['bad_ns_zero.edf', /^number of signals$/, 252],
    ['bad_ns_negative.edf', /^number of signals$/, 252],
    ['bad_header_bytes.edf', /^number of bytes in header record$/, 184],
    ['bad_physmin_eq_physmax.edf', /physical minimum\/maximum of signal 0/, 464],
    ['bad_digmin_gt_digmax.edf', /digital minimum\/maximum of signal 0/, 496],
    ['bad_spr_zero.edf', /number of samples in each data record of signal 1/, 696],
    ['bad_file_shorter_than_header.edf', /^header$/, 500],
  ];
  for (const [name, field, offset] of refusals) {
    it(`refuses ${name} naming ${field.source.replace(/[\\^$]/g, '')} @${offset}`, async () => {
      await assert.rejects(openRecording(file(name)), rejectsWith('E_EDF_HEADER', field, offset));
    });
  }

  it('reads a non-ASCII patient field with a warning naming it, keeping it only in identifiers', async () => {
    const rec = await openRecording(file('bad_nonascii_patient.edf'));
    await rec.close();
    const w = rec.info.warnings.find((x) => x.field === 'local patient identification');
    assert.ok(w, JSON.stringify(rec.info.warnings));
    assert.equal(w.offset, 8);
    assert.ok(!w.message.includes('Müller'));
    assert.match(rec.info.identifiers.patient, /Müller_Jürgen/);
  });

  it('infers the record count when the header says -1', async () => {
    const rec = await openRecording(file('syn_nrecords_minus1.edf'));
    await rec.close();
    assert.equal(rec.info.recordCount, 10);
    assert.equal(rec.info.duration, 10);
    assert.ok(rec.info.warnings.some((w) => w.field === 'number of data records'));
  });

  it('reads the 9 complete records of a truncated file and reports the truncated one', async () => {
    const rec = await openRecording(file('syn_truncated_last_record.edf'));
    try {
      assert.equal(rec.info.recordCount, 9);
      assert.deepEqual(
        rec.info.signals.map((s) => s.sampleCount),
        [900, 900],
      );
      const w = rec.info.warnings.find((x) => x.code === 'E_EDF_DATA');
      assert.ok(w && /truncated/.test(w.message), JSON.stringify(rec.info.warnings));
      assert.equal(w.offset, 768 + 9 * 400);
      const [eeg, counter] = await rec.readSignals([0, 1], 0, 10);
      assert.equal(counter[899], 899);
      assert.ok(Number.isNaN(counter[900]) && Number.isNaN(eeg[950]));
    } finally {
      await rec.close();
    }
  });

  it('applies the 1985-2084 rule to two-digit years and the EDF+ Startdate', async () => {
    for (const [name, iso] of [
      ['syn_date_2084.edf', '2084-12-31T23:59:59'],
      ['syn_date_1985.edf', '1985-01-01T23:59:59'],
      ['syn_date_edfplus_startdate.edf', '2002-03-02T23:59:59'],
    ]) {
      const rec = await openRecording(file(name));
      await rec.close();
      assert.equal(rec.info.startTime, iso, name);
    }
  });

  it('gives each signal its own rate and window length', async () => {
    const rec = await openRecording(file('syn_mixed_rates.edf'));
    try {
      assert.deepEqual(
        rec.info.signals.map((s) => s.sampleRate),
        [256, 128, 100, 25, 1],
      );
      const out = await rec.readSignals([0, 1, 2, 3, 4], 2.5, 3);
      assert.deepEqual(
        out.map((x) => x.length),
        [768, 384, 300, 75, 3],
      );
      assert.deepEqual(Array.from(out[4]), [93, 94, 95]);
    } finally {
      await rec.close();
    }
  });

  it('reads UTF-8 texts, sub-second onsets and two texts of one TAL', async () => {
    const rec = await openRecording(file('syn_annotations_utf8_subsecond.edf'));
    await rec.close();
    assert.deepEqual(
      rec.annotations.map((a) => [a.onset, a.duration, a.text]),
      [
        [0.001, 0, 'Start'],
        [0.5, 0, 'Stimulus ä ö ü é ñ'],
        [1.25, 0.75, '日本語の注釈'],
        [2.125, 0, 'Ελληνικά κείμενο'],
        [3, 0, 'Two texts'],
        [3, 0, 'share one onset'],
        [7.0625, 0.0625, 'Événement'],
        [9.999, 0, 'Last ms'],
      ],
    );
  });

  it('sign-extends 24-bit BDF samples', async () => {
    const rec = await openRecording(file('syn_bdfplus_annotations.bdf'));
    try {
      const k = rec.info.signals.findIndex((s) => s.label === 'Ramp');
      const s = rec.info.signals[k];
      const [ramp] = await rec.readSignals([k], 0, rec.info.duration);
      const gain = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
      for (let i = 0; i < ramp.length; i += 97) {
        const expected =
          (((i * 3277 + 8388608) % 16777216) - 8388608) * gain + s.physicalMin - s.digitalMin * gain;
        assert.ok(
          Math.abs(ramp[i] - expected) <= Math.abs(expected) * 1e-6 + gain,
          `Ramp[${i}] ${ramp[i]} vs ${expected}`,
        );
      }
    } finally {
      await rec.close();
    }
  });
});

describe('EDF reader: real recordings (EEGMAT) page like a viewer', function () {
  this.timeout(60000);
  const dir = requireSharedData(this.ctx as Mocha.Context, 'eeg', 'eegmat');

  it('10-s pages at odd offsets join up to the whole recording, sample for sample', async () => {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.edf'))) {
      const rec = await openRecording(path.join(dir, name));
      try {
        const all = rec.info.signals.map((_, i) => i);
        const whole = await rec.readSignals(all, 0, rec.info.duration);
        const rate = rec.info.signals[0].sampleRate;
        for (let start = 0.37; start < rec.info.duration; start += 10) {
          const page = await rec.readSignals(all, start, 10);
          const first = Math.ceil(start * rate - 1e-6);
          page.forEach((x, s) => {
            assert.equal(x.length, 10 * rate);
            for (let k = 0; k < x.length; k += 97) {
              const expected = first + k < whole[s].length ? whole[s][first + k] : NaN;
              assert.ok(
                Object.is(x[k], expected),
                `${name} signal ${s} page ${start}: [${k}] ${x[k]} vs ${expected}`,
              );
            }
          });
        }
      } finally {
        await rec.close();
      }
    }
  });
});

describe('EDF reader: windows and errors on generated files', function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-edf-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const start = { year: 2021, month: 5, day: 6, hour: 7, minute: 8, second: 9 };
  const ramp = (n: number) => new Float32Array(n).map((_, i) => i % 30000);

  it('reads a window from the middle, NaN past the end, and rejects bad indices and ranges', async () => {
    const p = path.join(dir, 'ramp.edf');
    const spec: EdfWriterSpec = {
      format: 'EDF+C',
      recordDuration: 0.5,
      start,
      signals: [{ label: 'R', unit: '', samplesPerRecord: 50, physicalMin: -32768, physicalMax: 32767 }],
    };
    await writeEdf(p, spec, [ramp(50 * 40)]);
    const rec = await openRecording(p);
    try {
      assert.equal(rec.info.duration, 20);
      const [w] = await rec.readSignals([0], 3.33, 1);
      assert.equal(w.length, 100);
      assert.equal(w[0], 333);
      assert.equal(w[99], 432);
      const [tail] = await rec.readSignals([0], 19.9, 0.5);
      assert.deepEqual(Array.from(tail.subarray(0, 11)), [
        1990,
        1991,
        1992,
        1993,
        1994,
        1995,
        1996,
        1997,
        1998,
        1999,
        NaN,
      ]);
      const [before] = await rec.readSignals([0], -0.05, 0.1);
      assert.deepEqual(Array.from(before), [NaN, NaN, NaN, NaN, NaN, 0, 1, 2, 3, 4]);
      await assert.rejects(rec.readSignals([1], 0, 1), /signal index 1 does not exist/);
      await assert.rejects(rec.readSignals([0], 0, -1), (e: MedLabError) => e.code === 'E_EEG_RANGE');
      await assert.rejects(rec.readSignals([0], NaN, 1), (e: MedLabError) => e.code === 'E_EEG_RANGE');
      await assert.rejects(rec.readSignals([0], 0, 1e12), (e: MedLabError) => e.code === 'E_EEG_RANGE');
    } finally {
      await rec.close();
    }
    await assert.rejects(rec.readSignals([0], 0, 1), /closed/);
  });

  it('reads a sub-second start and puts it in the start time', async () => {
    const p = path.join(dir, 'subsecond.bdf');
    await writeEdf(
      p,
      {
        format: 'BDF+C',
        recordDuration: 1,
        start,
        signals: [{ label: 'X', unit: 'uV', samplesPerRecord: 8, physicalMin: -1, physicalMax: 1 }],
      },
      [new Float32Array(24)],
      { recordStarts: [0.25, 1.25, 2.25], annotations: [{ onset: 1.75, text: 'event' }] },
    );
    const rec = await openRecording(p);
    await rec.close();
    assert.equal(rec.info.startTime, '2021-05-06T07:08:09.25');
    assert.deepEqual(rec.annotations, [{ onset: 1.5, duration: 0, text: 'event' }]);
  });

  it('reads only the needed samples of records larger than a read batch', async () => {
    const p = path.join(dir, 'bigrecord.edf');
    const spr = 4_500_000; // two signals x 9 MB: an 18 MB record is read per signal, never whole
    const w = await EdfWriter.create(p, {
      format: 'EDF',
      recordDuration: 10,
      start,
      signals: ['A', 'B'].map((label) => ({
        label,
        unit: '',
        samplesPerRecord: spr,
        physicalMin: -32768,
        physicalMax: 32767,
      })),
    });
    const a = new Int16Array(spr * 2).map((_, i) => (i % 20000) - 10000);
    const b = new Int16Array(spr * 2).map((_, i) => -(i % 1000));
    await w.writeDigital([a, b]);
    await w.close();
    const rec = await openRecording(p);
    try {
      const [x, y] = await rec.readSignals([0, 1], 9.99, 0.02);
      const first = Math.ceil(9.99 * 450000);
      assert.equal(x.length, 9000);
      for (const k of [0, 4499, 4500, 8999]) {
        assert.equal(x[k], a[first + k]);
        assert.equal(y[k], b[first + k]);
      }
    } finally {
      await rec.close();
    }
  });

  it('names the path of a missing file', async () => {
    await assert.rejects(openRecording(path.join(dir, 'nope.edf')), (e: MedLabError) => {
      assert.equal(e.code, 'E_NOT_FOUND');
      assert.match(e.message, /nope\.edf/);
      return true;
    });
  });
});
