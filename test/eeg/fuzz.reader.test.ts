/**
 * Fuzzing the EDF/BDF reader with mutated conformance files (bit flips, truncations, header
 * field edits, TAL corruption): every outcome is either a readable recording whose windows have
 * the promised lengths, or a typed MedLabError. Nothing else may escape, hang, or make memory
 * grow beyond what the (small) files honestly hold. Deterministic: MEDLAB_FUZZ_SEED and
 * MEDLAB_FUZZ_ITERATIONS (default 3000) reproduce or extend a run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import { MedLabError } from '../../agent/errors';
import { requireSharedData } from '../support/sharedData';

const ITERATIONS = Number(process.env.MEDLAB_FUZZ_ITERATIONS ?? 3000);
const SEED = Number(process.env.MEDLAB_FUZZ_SEED ?? 20240601);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte ranges of header fields and of annotation-signal blocks, from a minimal header parse. */
interface Anatomy {
  ns: number;
  fields: [number, number][];
  annotationBlocks: [number, number][];
}

function anatomy(buf: Buffer): Anatomy {
  const ns = Number(buf.toString('latin1', 252, 256).trim());
  const fields: [number, number][] = [
    [0, 8],
    [8, 80],
    [88, 80],
    [168, 8],
    [176, 8],
    [184, 8],
    [192, 44],
    [236, 8],
    [244, 8],
    [252, 4],
  ];
  const widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];
  let at = 256;
  for (const w of widths) {
    for (let i = 0; i < ns; i++) fields.push([at + i * w, w]);
    at += ns * w;
  }
  const width = buf[0] === 0xff ? 3 : 2;
  const labels = Array.from({ length: ns }, (_, i) =>
    buf.toString('latin1', 256 + i * 16, 272 + i * 16).trim(),
  );
  const sprAt = 256 + ns * 216;
  const spr = Array.from({ length: ns }, (_, i) =>
    Number(buf.toString('latin1', sprAt + i * 8, sprAt + i * 8 + 8)),
  );
  const recordBytes = spr.reduce((a, b) => a + b, 0) * width;
  const annotationBlocks: [number, number][] = [];
  let off = 0;
  for (let i = 0; i < ns; i++) {
    if (/Annotations/.test(labels[i])) {
      for (let r = 0; r < 4; r++)
        annotationBlocks.push([256 * (ns + 1) + r * recordBytes + off, spr[i] * width]);
    }
    off += spr[i] * width;
  }
  return { ns, fields, annotationBlocks: annotationBlocks.filter(([a]) => a < buf.length) };
}

const FIELD_VALUES = [
  '-1',
  '0',
  '1',
  '-2',
  '2',
  '99999999',
  '-9999999',
  '1e308',
  '1e-300',
  '0.000001',
  'nan',
  'inf',
  '',
  '+',
  '-0',
  '3.5',
  '2147483648',
  '9999',
  'abc',
  '\u00ff\u00fe',
  'EDF+D',
  'EDF+C',
  'BDF+D',
  '24BIT',
  'EDF Annotations',
  'BDF Annotations',
  '31.02.99',
  '00.00.00',
  '24.61.61',
  'Startdate 30-FEB-2020',
  '256',
  '512',
  '1,5',
];
const TAL_BYTES = [0x00, 0x14, 0x15, 0x2b, 0x2d, 0x2e, 0x30, 0x31, 0x35, 0x39, 0x41, 0xc3, 0xff];

function mutate(original: Buffer, anat: Anatomy, rnd: () => number): { bytes: Buffer; how: string } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) {
    const cut = Math.floor(rnd() * original.length);
    return { bytes: original.subarray(0, cut), how: `truncate at ${cut}` };
  }
  const bytes = Buffer.from(original);
  if (kind === 1) {
    const n = 1 + Math.floor(rnd() * 8);
    const inHeader = rnd() < 0.7;
    const span = inHeader ? Math.min(bytes.length, 256 * (anat.ns + 1)) : bytes.length;
    const where: number[] = [];
    for (let k = 0; k < n; k++) {
      const p = Math.floor(rnd() * span);
      bytes[p] ^= 1 << Math.floor(rnd() * 8);
      where.push(p);
    }
    return { bytes, how: `bit flips at ${where.join(',')}` };
  }
  if (kind <= 3) {
    const edits = 1 + Math.floor(rnd() * 3);
    const done: string[] = [];
    for (let k = 0; k < edits; k++) {
      const [at, width] = pick(anat.fields);
      const value = pick(FIELD_VALUES);
      Buffer.from(value.padEnd(width, ' ').slice(0, width), 'latin1').copy(bytes, at);
      done.push(`${at}="${value}"`);
    }
    return { bytes, how: `field edits ${done.join(' ')}` };
  }
  if (anat.annotationBlocks.length === 0)
    return { bytes: bytes.subarray(0, Math.floor(rnd() * bytes.length)), how: 'truncate' };
  const [at, length] = pick(anat.annotationBlocks);
  const n = 1 + Math.floor(rnd() * 12);
  for (let k = 0; k < n; k++) {
    const p = at + Math.floor(rnd() * length);
    if (p < bytes.length) bytes[p] = pick(TAL_BYTES);
  }
  return { bytes, how: `TAL bytes near ${at}` };
}

async function withinMs<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('EDF reader fuzz (mutated conformance files)', function () {
  this.timeout(Math.max(120000, ITERATIONS * 100));
  const dir = requireSharedData(this.ctx as Mocha.Context, 'eeg', 'conformance');
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-fuzz-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`survives ${ITERATIONS} mutations with typed errors or consistent recordings`, async () => {
    const originals = fs
      .readdirSync(dir)
      .filter((f) => /\.(edf|bdf)$/i.test(f))
      .sort()
      .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(dir, f)) }));
    const anatomies = originals.map((o) => anatomy(o.bytes));
    const rnd = mulberry32(SEED);
    const file = path.join(tmp, 'mutant.edf');
    const rssStart = process.memoryUsage().rss;
    let peakRss = rssStart;
    let opened = 0;
    const codes = new Map<string, number>();
    for (let it = 0; it < ITERATIONS; it++) {
      const k = Math.floor(rnd() * originals.length);
      const { bytes, how } = mutate(originals[k].bytes, anatomies[k], rnd);
      const where = `iteration ${it} (seed ${SEED}): ${originals[k].name}, ${how}`;
      fs.writeFileSync(file, bytes);
      try {
        const rec = await withinMs(5000, `open, ${where}`, openRecording(file));
        opened++;
        try {
          const { info } = rec;
          JSON.stringify(info);
          assert.equal(info.annotationCount, rec.annotations.length, where);
          const all = info.signals.map((_, i) => i);
          const windows: [number[], number, number][] = [
            [all, 0, Math.min(info.duration, 10)],
            [all.filter(() => rnd() < 0.5), rnd() * (info.duration + 4) - 2, rnd() * 30],
          ];
          for (const [signals, start, duration] of windows) {
            try {
              const out = await withinMs(5000, `read, ${where}`, rec.readSignals(signals, start, duration));
              out.forEach((x, j) => {
                assert.equal(x.length, Math.round(duration * info.signals[signals[j]].sampleRate), where);
              });
            } catch (e) {
              if (!(e instanceof MedLabError)) throw e;
              codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
            }
          }
        } finally {
          await rec.close();
        }
      } catch (e) {
        if (!(e instanceof MedLabError)) {
          assert.fail(`${where}: untyped ${e instanceof Error ? e.stack : String(e)}`);
        }
        assert.ok(e.message.length > 0 && e.data.code === e.code, where);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      if (it % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    if (process.env.MEDLAB_FUZZ_VERBOSE)
      console.log({ opened, codes, rssGrowthMB: (peakRss - rssStart) / 1e6 });
    // Every original is at most a few MB: honest reads never need more than a few hundred MB.
    assert.ok(
      peakRss - rssStart < 512 * 1024 * 1024,
      `RSS grew by ${((peakRss - rssStart) / 1e6).toFixed(0)} MB`,
    );
    assert.ok(
      opened > ITERATIONS / 10,
      `only ${opened} mutants opened: the mutations are too destructive to test reading`,
    );
    assert.ok(
      (codes.get('E_EDF_HEADER') ?? 0) > 0,
      'no header error seen: the mutations do not reach the header',
    );
  });
});
