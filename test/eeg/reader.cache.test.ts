/** getRecording: one open handle per file version, reopened when the file changes, closed when evicted. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closeAllRecordings, getRecording, RECORDING_CACHE_SIZE } from '../../agent/eeg/recordingCache';
import { writeEdf, type EdfWriterSpec } from '../../samples/edf/writer';

const spec = (): EdfWriterSpec => ({
  format: 'EDF+C',
  recordDuration: 1,
  start: { year: 2020, month: 1, day: 2, hour: 3, minute: 4, second: 5 },
  signals: [{ label: 'Fz', unit: 'uV', samplesPerRecord: 10, physicalMin: -100, physicalMax: 100 }],
});

describe('recording cache (getRecording)', function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-cache-'));
  });
  after(async () => {
    await closeAllRecordings();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shares one open recording between concurrent callers of the same file', async () => {
    const p = path.join(dir, 'a.edf');
    await writeEdf(p, spec(), [new Float32Array(30)]);
    const [a, b] = await Promise.all([getRecording(p), getRecording(p)]);
    assert.equal(a, b);
    assert.equal(await getRecording(path.relative(process.cwd(), p)), a);
  });

  it('reopens a file whose size or mtime changed and closes the stale handle', async () => {
    const p = path.join(dir, 'b.edf');
    await writeEdf(p, spec(), [new Float32Array(30)]);
    const first = await getRecording(p);
    assert.equal(first.info.duration, 3);
    await writeEdf(p, spec(), [new Float32Array(50)]);
    const second = await getRecording(p);
    assert.notEqual(second, first);
    assert.equal(second.info.duration, 5);
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(first.readSignals([0], 0, 1), /closed/);
  });

  it(`keeps at most ${RECORDING_CACHE_SIZE} open and closes the least recently used`, async () => {
    const recs = [];
    for (let i = 0; i <= RECORDING_CACHE_SIZE; i++) {
      const p = path.join(dir, `lru${i}.edf`);
      await writeEdf(p, spec(), [new Float32Array(20)]);
      recs.push(await getRecording(p));
      if (i === 0) continue;
      await getRecording(path.join(dir, 'lru0.edf')); // keep the first one recently used
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.equal((await recs[0].readSignals([0], 0, 1))[0].length, 10, 'recently used stays open');
    await assert.rejects(recs[1].readSignals([0], 0, 1), /closed/, 'least recently used is closed');
  });

  it('does not cache a failed open', async () => {
    const p = path.join(dir, 'late.edf');
    await assert.rejects(getRecording(p), (e: { code?: string }) => e.code === 'E_NOT_FOUND');
    await writeEdf(p, spec(), [new Float32Array(20)]);
    assert.equal((await getRecording(p)).info.duration, 2);
  });
});
