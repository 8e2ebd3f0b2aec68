/**
 * Viewer pages and spectra over real files: eeg/window (montage, filters with clean edges, NaN
 * gaps, min/max columns), streamed spectra equal to one pass, the RPC methods and the CLI, and
 * the EEGMAT recordings paged and analysed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { butterworth } from '../../agent/eeg/dsp/butterworth';
import { sosfiltfilt } from '../../agent/eeg/dsp/sosfilt';
import { welch } from '../../agent/eeg/dsp/welch';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import type { Recording } from '../../agent/eeg/recording';
import { computeBands, computeSpectrum } from '../../agent/eeg/spectrum';
import { readWindow } from '../../agent/eeg/window';
import { isMedLabError } from '../../agent/errors';
import { decodeFloat32 } from '../../agent/wire';
import { generateSamples } from '../../samples/generate';
import { runCli, startAgent, type AgentHandle } from '../support/agentProcess';
import { requireSharedData } from '../support/sharedData';

const SAMPLE = 'eeg1020_alpha_artefacts.edf';

describe('eeg window and spectrum on a generated recording', function () {
  this.timeout(120000);
  let dir = '';
  let file = '';
  let rec: Recording;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-window-'));
    await generateSamples(dir, [SAMPLE]);
    file = path.join(dir, SAMPLE);
    rec = await openRecording(file);
  });
  after(async () => {
    await rec?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a filtered page equals the same stretch of the whole recording filtered at once (clean edges)', async () => {
    const [o1] = await rec.readSignals([17], 0, 300);
    const whole = sosfiltfilt(butterworth(4, [1, 40], 'bandpass', 256), o1);
    const w = await readWindow(rec, {
      start: 100,
      duration: 10,
      channels: ['O1'],
      filters: { highpass: 1, lowpass: 40 },
    });
    const page = decodeFloat32(w.channels[0].data);
    assert.equal(page.length, 2560);
    let err = 0;
    let rms = 0;
    for (let i = 0; i < page.length; i++) {
      err = Math.max(err, Math.abs(page[i] - whole[25600 + i]));
      rms += whole[25600 + i] ** 2;
    }
    rms = Math.sqrt(rms / page.length);
    assert.ok(err < 1e-3 * rms, `max difference ${err} µV vs RMS ${rms} µV`);
  });

  it('bipolar traces are the difference of their electrodes; columns hold min/max of the samples', async () => {
    const [fp1, f7] = await rec.readSignals([0, 2], 40, 4);
    const w = await readWindow(rec, { start: 40, duration: 4, montage: { kind: 'bipolar' } });
    assert.equal(w.channels[0].label, 'Fp1-F7');
    assert.equal(w.channels.length, 19);
    const d = decodeFloat32(w.channels[0].data);
    for (let i = 0; i < d.length; i++) assert.ok(Math.abs(d[i] - (fp1[i] - f7[i])) < 1e-3);
    const cols = await readWindow(rec, {
      start: 40,
      duration: 4,
      montage: { kind: 'bipolar' },
      columns: 100,
    });
    assert.equal(cols.decimated, true);
    const min = decodeFloat32(cols.channels[0].data);
    const max = decodeFloat32(cols.channels[0].max!);
    assert.equal(min.length, 100);
    assert.equal(Math.min(...min), Math.min(...d));
    assert.equal(Math.max(...max), Math.max(...d));
    assert.ok(cols.annotations.every((a) => a.onset < 44 && a.onset + a.duration >= 40));
  });

  it('names a bad range or channel', async () => {
    await assert.rejects(
      readWindow(rec, { start: 400, duration: 10 }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_EEG_RANGE' && /outside the recording/.test(e.message),
    );
    await assert.rejects(
      readWindow(rec, { start: 0, duration: 10, channels: ['Oz'] }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_EEG_CHANNEL' && /"Oz"/.test(e.message),
    );
    await assert.rejects(
      readWindow(rec, { start: 0, duration: 10, filters: { highpass: 30, lowpass: 10 } }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_DSP',
    );
  });

  it('the streamed spectrum of the whole recording equals one Welch pass over it', async () => {
    const s = await computeSpectrum(rec, { channels: ['Cz'] });
    const [cz] = await rec.readSignals([9], 0, 300);
    const one = welch(cz, 256, { segmentLength: 512 });
    assert.equal(s.channels[0].segments, one.segments);
    for (let k = 0; k < one.psd.length; k++) {
      assert.ok(Math.abs(s.channels[0].psd[k] - one.psd[k]) <= 1e-9 * one.psd[k] + 1e-15, `bin ${k}`);
    }
  });

  it('serves eeg/window, eeg/spectrum and eeg/bands over JSON-RPC', async () => {
    const agent: AgentHandle = startAgent();
    try {
      const w = await agent.request('eeg/window', {
        path: file,
        start: 10,
        duration: 10,
        montage: { kind: 'average' },
        filters: { highpass: 0.5, lowpass: 70, notch: 50 },
        columns: 800,
      });
      assert.equal(w.channels.length, 20);
      assert.equal(w.channels[0].label, 'Fp1-AVG');
      assert.equal(decodeFloat32(w.channels[0].data).length, 800);
      const sp = await agent.request('eeg/spectrum', { path: file, duration: 60, channels: ['O1', 'O2'] });
      assert.equal(decodeFloat32(sp.frequencies).length, 257);
      assert.equal(sp.channels.length, 2);
      const b = await agent.request('eeg/bands', { path: file, duration: 30, channels: ['O2'] });
      assert.equal(b.unit, 'uV²');
      assert.equal(b.channels[0].bands[2].band, 'alpha');
      assert.ok(b.channels[0].bands[2].relative > 0.5);
      await assert.rejects(
        agent.request('eeg/window', { path: file, start: -5, duration: 1 }),
        /outside the recording/,
      );
    } finally {
      await agent.stop();
    }
  });

  it('medlab eeg bands / eeg features print JSON and fail in one line on a bad file', async () => {
    const bands = await runCli(['eeg', 'bands', file, '--duration', '30', '--channels', 'O1,Fp1', '--json']);
    assert.equal(bands.code, 0, bands.stderr);
    const b = JSON.parse(bands.stdout) as Awaited<ReturnType<typeof computeBands>>;
    assert.deepEqual(
      b.channels.map((c) => c.label),
      ['EEG O1-REF', 'EEG Fp1-REF'],
    );
    const feats = await runCli(['eeg', 'features', file, '--json']);
    assert.equal(feats.code, 0, feats.stderr);
    const f = JSON.parse(feats.stdout) as { shape: number[]; channels: { name: string; label: string }[] };
    assert.deepEqual(f.shape, [75, 19, 59]);
    assert.equal(f.channels[17].label, 'EEG O1-REF');
    const text = await runCli(['eeg', 'features', file]);
    assert.equal(text.stdout.trim().split('\n').length, 3 + 75 * 19);

    const notEeg = path.join(dir, 'not-eeg.edf');
    fs.writeFileSync(notEeg, 'this is not an EDF file');
    const bad = await runCli(['eeg', 'bands', notEeg]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});

describe('eeg window and bands on the EEGMAT recordings', function () {
  this.timeout(120000);
  let eegmat = '';
  before(function () {
    eegmat = requireSharedData(this, 'eeg', 'eegmat');
  });

  it('each opens, pages (10 s, 1000 columns, double banana, filtered) and gives band powers', async () => {
    for (const name of fs.readdirSync(eegmat).filter((f) => f.endsWith('.edf'))) {
      const rec = await openRecording(path.join(eegmat, name));
      try {
        const w = await readWindow(rec, {
          start: 20,
          duration: 10,
          montage: { kind: 'bipolar' },
          filters: { highpass: 0.5, lowpass: 45, notch: 50 },
          columns: 1000,
        });
        // The 18 double-banana pairs, then the ECG as recorded (the A2-A1 ear channel is left out).
        assert.deepEqual(w.channels.map((c) => c.label).slice(17), ['Cz-Pz', 'ECG ECG'], name);
        for (const c of w.channels)
          assert.ok(decodeFloat32(c.data).every(Number.isFinite), `${name} ${c.label}`);
        const b = await computeBands(rec, { montage: { kind: 'average' } });
        assert.equal(b.channels.length, 19, name);
        for (const c of b.channels) {
          const total = c.bands.reduce((a, x) => a + x.relative, 0);
          assert.ok(Math.abs(total - 1) < 1e-9 && c.bands.every((x) => x.absolute > 0), `${name} ${c.label}`);
        }
      } finally {
        await rec.close();
      }
    }
  });
});
