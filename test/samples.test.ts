/**
 * The sample generator writes recordings that open in the reader and show what they promise:
 * posterior alpha with eyes closed, frontal blinks, temporal muscle bursts, mains at T6,
 * EDF+D gaps, a readable BDF+; and the same bytes on every run.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeFloat32 } from '../agent/wire';
import { openRecording } from '../agent/eeg/edf/edfRecording';
import { recordingFeatures } from '../agent/eeg/features/recordingFeatures';
import type { Recording } from '../agent/eeg/recording';
import { computeBands, computeSpectrum } from '../agent/eeg/spectrum';
import { readWindow } from '../agent/eeg/window';
import { generateSamples, type SampleFile } from '../samples/generate';
import { cycle } from '../samples/synth/script';

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('samples: generated recordings', function () {
  this.timeout(120000);
  let dir = '';
  let files: SampleFile[] = [];
  const open: Recording[] = [];
  const rec = async (name: string) => {
    const r = await openRecording(path.join(dir, name));
    open.push(r);
    return r;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-samples-'));
    files = await generateSamples(dir);
  });
  after(async () => {
    await Promise.all(open.map((r) => r.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the three recordings and an index describing them', () => {
    assert.deepEqual(
      files.map((f) => [f.name, f.format]),
      [
        ['eeg1020_alpha_artefacts.edf', 'EDF+C'],
        ['eeg1020_gaps.edf', 'EDF+D'],
        ['eeg1020_alpha.bdf', 'BDF+C'],
      ],
    );
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
      files: SampleFile[];
    };
    assert.equal(index.files.length, 3);
  });

  it('is deterministic: a second run writes identical bytes', async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-samples-'));
    try {
      await generateSamples(again, ['eeg1020_alpha.bdf', 'eeg1020_gaps.edf']);
      for (const name of ['eeg1020_alpha.bdf', 'eeg1020_gaps.edf']) {
        assert.equal(sha(path.join(again, name)), sha(path.join(dir, name)), name);
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('EDF+C: 19 10-20 channels + ECG, 5 min, annotations of the script', async () => {
    const r = await rec('eeg1020_alpha_artefacts.edf');
    assert.equal(r.info.format, 'EDF+C');
    assert.equal(r.info.duration, 300);
    assert.equal(r.info.signals.length, 20);
    assert.equal(r.info.signals[0].label, 'EEG Fp1-REF');
    assert.equal(r.info.signals[19].unit, 'mV');
    const texts = new Set(r.annotations.map((a) => a.text));
    for (const t of [
      'Eyes closed',
      'Eyes open',
      'Blink',
      'Muscle artefact (jaw clench) T3/T4',
      'Electrode pop C3',
    ]) {
      assert.ok(texts.has(t), t);
    }
    assert.ok(
      r.annotations.some((a) => a.text.includes('électrodes')),
      'UTF-8 annotation',
    );
  });

  it('alpha is posterior and blocked by eye opening', async () => {
    const r = await rec('eeg1020_alpha_artefacts.edf');
    // Referential: an average reference would carry the strong posterior alpha to frontal channels.
    const closed = await computeBands(r, { start: 0, duration: 30, channels: ['O1', 'Fp1'] });
    const open_ = await computeBands(r, {
      start: 31,
      duration: 28,
      channels: ['O1'],
      montage: { kind: 'average' },
    });
    const alpha = (b: typeof closed, ch: number) => b.channels[ch].bands.find((x) => x.band === 'alpha')!;
    assert.ok(alpha(closed, 0).relative > 0.6, `O1 eyes-closed relative alpha ${alpha(closed, 0).relative}`);
    assert.ok(alpha(closed, 0).absolute > 20 * alpha(closed, 1).absolute, 'O1 alpha >> Fp1 alpha');
    assert.ok(alpha(closed, 0).absolute > 5 * alpha(open_, 0).absolute, 'eyes open blocks alpha');
    const s = await computeSpectrum(r, { start: 0, duration: 30, channels: ['O2'] });
    const { frequencies, psd } = s.channels[0];
    let peak = 1;
    for (let k = 1; k < psd.length; k++) if (frequencies[k] >= 1 && psd[k] > psd[peak]) peak = k;
    assert.ok(Math.abs(frequencies[peak] - 10) <= 0.5, `alpha peak at ${frequencies[peak]} Hz`);
  });

  it('blinks are frontal, muscle is temporal and high-frequency, mains is at T6', async () => {
    const r = await rec('eeg1020_alpha_artefacts.edf');
    const blink = cycle(1020, 0).blinks[0];
    const w = await readWindow(r, {
      start: blink - 0.5,
      duration: 1,
      channels: ['Fp1', 'O1'],
      filters: { highpass: 0.5 },
    });
    const peak = (i: number) => Math.max(...decodeFloat32(w.channels[i].data));
    assert.ok(peak(0) > 100, `Fp1 blink peak ${peak(0)} µV`);
    assert.ok(peak(1) < 40, `O1 during blink ${peak(1)} µV`);

    const m = cycle(1020, 1).muscle!;
    const during = await computeBands(r, {
      start: m[0] + 0.3,
      duration: 1.9,
      channels: ['T3'],
      segmentSeconds: 0.5,
    });
    const before = await computeBands(r, {
      start: m[0] - 5,
      duration: 4,
      channels: ['T3'],
      segmentSeconds: 0.5,
    });
    const hf = (b: typeof during) =>
      b.channels[0].bands.filter((x) => x.high > 13).reduce((a, x) => a + x.absolute, 0);
    assert.ok(hf(during) > 5 * hf(before), `muscle ${hf(during)} vs ${hf(before)} µV²`);

    const s = await computeSpectrum(r, { start: 0, duration: 60, channels: ['T6', 'O1'] });
    const at = (ch: number, hz: number) => s.channels[ch].psd[Math.round(hz / s.channels[ch].frequencies[1])];
    assert.ok(at(0, 50) > 100 * at(0, 47), 'mains line at 50 Hz on T6');
    assert.ok(at(0, 50) > 4 * at(1, 50), 'T6 has more mains than O1');
    const notched = await computeSpectrum(r, {
      start: 0,
      duration: 60,
      channels: ['T6'],
      filters: { notch: 50 },
    });
    assert.ok(notched.channels[0].psd[100] < at(0, 50) / 100, 'the notch removes it');
  });

  it('EDF+D: gaps are NaN in windows, and recipe epochs touching them are dropped', async () => {
    const r = await rec('eeg1020_gaps.edf');
    assert.equal(r.info.format, 'EDF+D');
    assert.deepEqual(
      r.info.segments.map((s) => [s.start, s.start + s.duration]),
      [
        [0, 60],
        [75, 135],
        [150.5, 200.5],
      ],
    );
    const w = await readWindow(r, {
      start: 58,
      duration: 20,
      channels: ['O1'],
      filters: { highpass: 1, lowpass: 40 },
    });
    const x = decodeFloat32(w.channels[0].data);
    assert.ok(Number.isFinite(x[0]) && Number.isNaN(x[3 * 256]) && Number.isFinite(x[18 * 256]));
    assert.deepEqual(w.gaps, [{ start: 60, duration: 15 }]);
    const f = await recordingFeatures(r);
    assert.equal(f.channels[7].label, 'EEG T7-LE', 'T7 stands for the recipe’s T3');
    // 4-s epochs: [60,64)..[72,76) touch the first gap, [132,136)..[148,152) the second.
    assert.deepEqual(
      Array.from({ length: f.epochCount }, (_, e) => e).filter((e) => !f.epochs.includes(e)),
      [15, 16, 17, 18, 33, 34, 35, 36, 37],
    );
  });

  it('BDF+C: 24-bit samples at 512 Hz read with plain labels', async () => {
    const r = await rec('eeg1020_alpha.bdf');
    assert.equal(r.info.format, 'BDF+C');
    assert.equal(r.info.signals[0].sampleRate, 512);
    assert.equal(r.info.signals[17].label, 'O1');
    const b = await computeBands(r, { start: 0, duration: 30, channels: ['O1'] });
    assert.ok(b.channels[0].bands[2].relative > 0.5);
    const f = await recordingFeatures(r);
    assert.equal(f.epochs.length, 15);
  });
});
