/**
 * EDF reader benchmark: whole-file decode throughput of a generated 64-channel ~200 MB EDF
 * against edfdecoder and against a tight typed-array loop over the file in memory; a 10-s
 * window of all channels (ours reads only its records, edfdecoder must decode the whole file);
 * the same window from a ~2 GB EDF+C file next to a ~20 MB one; peak memory.
 * Files are generated with samples/edf/writer.ts into a temp folder and removed afterwards
 * (MEDLAB_BENCH_KEEP=1 keeps and reuses them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openRecording } from '../agent/eeg/edf/edfRecording';
import type { Recording } from '../agent/eeg/recording';
import { EdfWriter, type EdfWriterFormat } from '../samples/edf/writer';
import { medianMs, verdict, type Bench } from './bench';

export const title = 'EDF/BDF reader: throughput, random-access windows, memory';

const CHANNELS = 64;
const RATE = 256;
const RECORD_BYTES = CHANNELS * RATE * 2;

interface EdfDecoderOutput {
  getNumberOfSignals(): number;
  getNumberOfRecords(): number;
  getPhysicalSignalConcatRecords(index: number, recordStart: number, howMany: number): Float32Array;
}
interface EdfDecoderClass {
  new (): { setInput(buf: ArrayBuffer): void; decode(): void; getOutput(): EdfDecoderOutput | null };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- edfdecoder ships no ES module or types
const { EdfDecoder } = require('edfdecoder') as { EdfDecoder: EdfDecoderClass };

/** One minute of 64 plausible EEG channels as digital int16 (0.1 uV per step), reused per block. */
function minuteOfEeg(): Int16Array[] {
  const n = RATE * 60;
  return Array.from({ length: CHANNELS }, (_, c) => {
    const x = new Int16Array(n);
    let seed = c + 1;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const t = i / RATE;
      const uV =
        40 * Math.sin(2 * Math.PI * (8 + c / 16) * t) +
        15 * Math.sin(2 * Math.PI * 1.3 * t) +
        (seed / 2 ** 32 - 0.5) * 20;
      x[i] = Math.round(uV * 10);
    }
    return x;
  });
}

async function generate(
  file: string,
  format: EdfWriterFormat,
  megabytes: number,
  block: Int16Array[],
): Promise<void> {
  const records = Math.round((megabytes * 1e6) / RECORD_BYTES);
  if (fs.existsSync(file) && fs.statSync(file).size > records * RECORD_BYTES) return;
  const w = await EdfWriter.create(file, {
    format,
    recordDuration: 1,
    start: { year: 2024, month: 3, day: 1, hour: 22, minute: 0, second: 0 },
    signals: Array.from({ length: CHANNELS }, (_, c) => ({
      label: `EEG ${c + 1}`,
      unit: 'uV',
      samplesPerRecord: RATE,
      physicalMin: -3276.8,
      physicalMax: 3276.7,
    })),
  });
  for (let done = 0; done < records; done += 60) {
    const n = Math.min(60, records - done);
    await w.writeDigital(n === 60 ? block : block.map((x) => x.subarray(0, n * RATE)));
  }
  await w.close();
}

/** The baseline "tight loop": the whole file in memory, an Int16Array view, one multiply-add per sample. */
function tightLoop(file: string): Float32Array[] {
  const buf = fs.readFileSync(file);
  const ns = Number(buf.toString('latin1', 252, 256));
  const headerBytes = 256 * (ns + 1);
  const records = Math.floor((buf.length - headerBytes) / RECORD_BYTES);
  const num = (field: number, i: number) =>
    Number(buf.toString('latin1', 256 + ns * field + i * 8, 264 + ns * field + i * 8));
  const out: Float32Array[] = [];
  const gain: number[] = [];
  const offset: number[] = [];
  for (let s = 0; s < ns; s++) {
    const [pMin, pMax, dMin, dMax] = [num(104, s), num(112, s), num(120, s), num(128, s)];
    gain.push((pMax - pMin) / (dMax - dMin));
    offset.push(pMin - dMin * gain[s]);
    out.push(new Float32Array(records * RATE));
  }
  const i16 = new Int16Array(buf.buffer, buf.byteOffset + headerBytes, records * (RECORD_BYTES / 2));
  let p = 0;
  for (let r = 0; r < records; r++) {
    for (let s = 0; s < ns; s++) {
      const o = out[s];
      const g = gain[s];
      const f = offset[s];
      for (let k = r * RATE, end = k + RATE; k < end; k++) o[k] = i16[p++] * g + f;
    }
  }
  return out;
}

function edfdecoderDecode(file: string): EdfDecoderOutput {
  const b = fs.readFileSync(file);
  const decoder = new EdfDecoder();
  decoder.setInput(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  decoder.decode();
  const out = decoder.getOutput();
  if (!out) throw new Error('edfdecoder could not decode the file');
  return out;
}

async function ours(file: string): Promise<Float32Array[]> {
  const rec = await openRecording(file);
  try {
    return await rec.readSignals(
      rec.info.signals.map((_, i) => i),
      0,
      rec.info.duration,
    );
  } finally {
    await rec.close();
  }
}

/** Median time of 10-s windows of all channels at pseudo-random places (no two alike). */
async function windowMs(rec: Recording, count = 25): Promise<number> {
  const all = rec.info.signals.map((_, i) => i);
  let k = 0;
  return medianMs(async () => {
    k++;
    const start = Math.floor((((k * 7919) % 997) / 997) * (rec.info.duration - 10));
    const out = await rec.readSignals(all, start, 10);
    if (out[0].length !== 10 * RATE || Number.isNaN(out[0][0])) throw new Error('window read wrong');
  }, count);
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const maxRssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

export async function run(print: (line: string) => void): Promise<boolean> {
  const keep = process.env.MEDLAB_BENCH_KEEP === '1';
  const dir = keep
    ? path.join(os.tmpdir(), 'medlab-edf-bench')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-edf-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const f200 = path.join(dir, 'eeg64_200MB.edf');
  const f20 = path.join(dir, 'eeg64_20MB_edfplus.edf');
  const f2g = path.join(dir, 'eeg64_2GB_edfplus.edf');
  let ok = true;
  try {
    const t0 = Date.now();
    const block = minuteOfEeg();
    await generate(f200, 'EDF', 200, block);
    await generate(f20, 'EDF+C', 20, block);
    await generate(f2g, 'EDF+C', 2000, block);
    const size200 = fs.statSync(f200).size;
    print(`  generated 64 ch x 256 Hz files in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dir})`);

    // Random-access windows first, while the process is small (memory figures stay readable).
    const rec200 = await openRecording(f200);
    const t20 = Date.now();
    const rec20 = await openRecording(f20);
    const open20 = Date.now() - t20;
    const t2g = Date.now();
    const rec2g = await openRecording(f2g);
    const open2g = Date.now() - t2g;
    const abBefore = process.memoryUsage().arrayBuffers;
    const held = await rec2g.readSignals(
      rec2g.info.signals.map((_, i) => i),
      1000,
      10,
    );
    const windowBytes = process.memoryUsage().arrayBuffers - abBefore;
    await windowMs(rec20, 5); // JIT warm-up of the read path
    const w200 = await windowMs(rec200);
    const w20 = await windowMs(rec20);
    const w2g = await windowMs(rec2g);
    const rssAfterWindows = maxRssMb();
    await Promise.all([rec200.close(), rec20.close(), rec2g.close()]);

    // Whole-file decode of the 200 MB file: ours and the tight loop interleaved, so that load
    // from other processes hits both alike; CPU time shown too (steadier on a busy machine).
    const runs = {
      ours: [] as number[],
      tight: [] as number[],
      oursCpu: [] as number[],
      tightCpu: [] as number[],
    };
    await ours(f200);
    tightLoop(f200);
    for (let i = 0; i < 5; i++) {
      let [w, c] = [performance.now(), cpuMs()];
      await ours(f200);
      runs.ours.push(performance.now() - w);
      runs.oursCpu.push(cpuMs() - c);
      [w, c] = [performance.now(), cpuMs()];
      tightLoop(f200);
      runs.tight.push(performance.now() - w);
      runs.tightCpu.push(cpuMs() - c);
    }
    const oursMs = median(runs.ours);
    const tightMs = median(runs.tight);
    const rssOurs = maxRssMb();
    const edfdMs = await medianMs(() => edfdecoderDecode(f200), 2);
    const rssEdfd = maxRssMb();
    // edfdecoder has no random access: a window costs a whole decode plus the concatenation.
    const edfdWindowMs = await medianMs(() => {
      const out = edfdecoderDecode(f200);
      for (let s = 0; s < CHANNELS; s++) out.getPhysicalSignalConcatRecords(s, 3000, 10);
    }, 2);

    const rate = (ms: number) => size200 / 1e6 / (ms / 1000);
    const vsEdfd = edfdMs / oursMs;
    const vsTight = tightMs / oursMs;
    const windowSpeedup = edfdWindowMs / w200;
    print(`  whole-file decode, ${mb(size200)} MB EDF, 64 ch (median; file read included in all three):`);
    print(
      `    ours            ${oursMs.toFixed(0).padStart(6)} ms  ${rate(oursMs).toFixed(0).padStart(5)} MB/s  (CPU ${median(runs.oursCpu).toFixed(0)} ms)`,
    );
    print(
      `    tight loop      ${tightMs.toFixed(0).padStart(6)} ms  ${rate(tightMs).toFixed(0).padStart(5)} MB/s  (CPU ${median(runs.tightCpu).toFixed(0)} ms)`,
    );
    print(
      `    edfdecoder      ${edfdMs.toFixed(0).padStart(6)} ms  ${rate(edfdMs).toFixed(0).padStart(5)} MB/s`,
    );
    print(`    ours vs edfdecoder ${vsEdfd.toFixed(2)}x (target >= 3x)  ${verdict(vsEdfd >= 3)}`);
    print(`    ours vs tight loop ${vsTight.toFixed(2)}x (target >= 0.8x)  ${verdict(vsTight >= 0.8)}`);
    print(`  10-s window, all 64 channels:`);
    print(`    ours, 200 MB file   ${w200.toFixed(2).padStart(8)} ms`);
    print(`    edfdecoder          ${edfdWindowMs.toFixed(0).padStart(8)} ms (decodes the whole file first)`);
    print(`    speed-up ${windowSpeedup.toFixed(0)}x (target >= 100x)  ${verdict(windowSpeedup >= 100)}`);
    print(`    ours, 20 MB EDF+C   ${w20.toFixed(2).padStart(8)} ms (open ${open20} ms)`);
    print(
      `    ours, ${mb(fs.statSync(f2g).size)} MB EDF+C ${w2g.toFixed(2).padStart(8)} ms (open ${open2g} ms, reads the annotation signal of ${rec2g.info.recordCount} records)`,
    );
    print(
      `    2 GB / 20 MB window time ${(w2g / w20).toFixed(2)}x; 2 GB window under 20 ms  ${verdict(w2g < 20)}`,
    );
    print(
      `  memory: a 10-s window holds ${mb(windowBytes)} MB of typed arrays (${held.length} x ${held[0].length} float32)`,
    );
    print(
      `    peak RSS: ${rssAfterWindows} MB after the window reads, ${rssOurs} MB after our whole-file decodes (output ${mb(size200 * 2)} MB float32), ${rssEdfd} MB after edfdecoder`,
    );
    ok = vsEdfd >= 3 && vsTight >= 0.8 && windowSpeedup >= 100 && w2g < 20;
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

export const bench: Bench = { title, run };
