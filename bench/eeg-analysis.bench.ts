/**
 * Band powers over a ~2 GB EDF+C (19 EEG channels + ECG at 256 Hz, ~53 h, written by
 * samples/largeRecording.ts into os.tmpdir() and deleted afterwards), each job in a child
 * process for a clean peak-memory figure. Baseline: reading every EEG sample through the reader
 * in the same chunks. Target: peak memory (maxRSS) under 300 MB for band powers.
 * MEDLAB_BENCH_EEG_BYTES sets another file size; MEDLAB_BENCH_EEG_FILE reuses an existing file.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeLargeRecording } from '../samples/largeRecording';
import { verdict } from './bench';

export const title = 'EEG band powers over a ~2 GB recording: time vs reading it, peak memory';

interface ChildResult {
  ms: number;
  maxRssMB: number;
  idleMB: number;
  [key: string]: number;
}

function child(mode: string, file: string): ChildResult {
  const out = cp.execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'eeg-analysis.child.ts'), mode, file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

export async function run(print: (line: string) => void): Promise<boolean> {
  const given = process.env.MEDLAB_BENCH_EEG_FILE;
  const file = given ?? path.join(os.tmpdir(), `medlab-bench-eeg-${process.pid}.edf`);
  try {
    if (!given) {
      const t0 = Date.now();
      const f = await writeLargeRecording(file, {
        targetBytes: Number(process.env.MEDLAB_BENCH_EEG_BYTES ?? 2e9),
      });
      print(
        `  wrote ${(f.bytes / 1e9).toFixed(2)} GB (${(f.duration / 3600).toFixed(1)} h, 20 signals at 256 Hz) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const gb = fs.statSync(file).size / 1e9;
    const read = child('read', file);
    const bands = child('bands', file);
    const mbps = (r: ChildResult) => ((gb * 1000) / (r.ms / 1000)).toFixed(0);
    print(`  job            time s   MB/s   peak RSS MB (idle process MB)`);
    print(
      `  read (base)    ${(read.ms / 1000).toFixed(1).padStart(6)}  ${mbps(read).padStart(5)}   ${read.maxRssMB.toFixed(0)} (${read.idleMB.toFixed(0)})`,
    );
    print(
      `  band powers    ${(bands.ms / 1000).toFixed(1).padStart(6)}  ${mbps(bands).padStart(5)}   ${bands.maxRssMB.toFixed(0)} (${bands.idleMB.toFixed(0)})`,
    );
    print(
      `  band powers / read time: ${(bands.ms / read.ms).toFixed(2)}x; ${bands.channels} channels, ${bands.segments} Welch segments each; O1 relative alpha ${(bands.o1Alpha * 100).toFixed(1)} %`,
    );
    const ok = bands.maxRssMB < 300;
    print(`  peak memory ${bands.maxRssMB.toFixed(0)} MB < 300 MB: ${verdict(ok)}`);
    return ok;
  } finally {
    if (!given) fs.rmSync(file, { force: true });
  }
}
