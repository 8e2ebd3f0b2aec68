/** The viewer's filter settings: design per rate, skipped corners, gaps kept, causal vs zero phase. */
import * as assert from 'node:assert/strict';
import { butterworth } from '../../agent/eeg/dsp/butterworth';
import { mainsNotch } from '../../agent/eeg/dsp/notch';
import { sosfilt, sosfiltfilt, sosfiltZi } from '../../agent/eeg/dsp/sosfilt';
import { checkFilterSpec, filterPadSeconds, filterSections, filterTrace } from '../../agent/eeg/filterChain';
import { isMedLabError } from '../../agent/errors';

const FS = 256;
const signal = (n: number) =>
  Float64Array.from(
    { length: n },
    (_, i) => 30 * Math.sin((2 * Math.PI * 10 * i) / FS) + 10 * Math.sin(i * 0.9) + 5,
  );

describe('eeg filter chain', () => {
  it('is a 4th-order Butterworth band-pass plus the mains notch, as scipy would build it', () => {
    const x = signal(2000);
    const y = x.slice();
    filterTrace(y, filterSections({ highpass: 1, lowpass: 40, notch: 50 }, FS));
    const expected = sosfiltfilt([...butterworth(4, [1, 40], 'bandpass', FS), ...mainsNotch(50, FS)], x);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(y[i] - expected[i]) < 1e-9);
  });

  it('filters each gap-free run on its own and keeps gaps NaN', () => {
    const x = signal(3000);
    for (let i = 1000; i < 1200; i++) x[i] = NaN;
    const y = x.slice();
    const sos = filterSections({ highpass: 0.5 }, FS);
    filterTrace(y, sos);
    assert.ok(y.subarray(1000, 1200).every(Number.isNaN));
    const tail = sosfiltfilt(sos, x.subarray(1200));
    for (let i = 0; i < tail.length; i++) assert.ok(Math.abs(y[1200 + i] - tail[i]) < 1e-9);
  });

  it('runs causally from steady state when zero phase is off', () => {
    const x = signal(1000);
    const y = x.slice();
    const sos = filterSections({ lowpass: 30 }, FS);
    filterTrace(y, sos, false);
    const expected = sosfilt(
      sos,
      x,
      sosfiltZi(sos).map((v) => v * x[0]),
    );
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(y[i] - expected[i]) < 1e-9);
  });

  it('skips corners a channel cannot represent and refuses impossible settings', () => {
    assert.equal(filterSections({ lowpass: 70, notch: 50 }, 100).length, 0);
    assert.equal(filterSections({ highpass: 0.5, lowpass: 70 }, 100).length, 2);
    assert.throws(
      () => checkFilterSpec({ highpass: 40, lowpass: 30 }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_DSP' && e.data.field === 'highpass',
    );
    assert.throws(() => checkFilterSpec({ notch: 55 as 50 }), /50 or 60/);
    assert.equal(filterPadSeconds(undefined), 0);
    assert.equal(filterPadSeconds({ highpass: 0.1 }), 20);
    assert.equal(filterPadSeconds({ lowpass: 30 }), 1);
  });
});
