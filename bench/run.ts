/**
 * `npm run bench [-- NAME...]`: runs every bench/<name>.bench.ts (or the named ones) in this
 * process and prints their tables. Benchmarks report ratios against a baseline measured in the
 * same run; they are never part of `npm test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Bench } from './bench';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ')}`);
  let failed = 0;
  for (const f of files) {
    const bench = (await import(path.join(__dirname, f))) as Bench;
    process.stdout.write(`\n== ${f.replace(/\.bench\.ts$/, '')}: ${bench.title}\n`);
    try {
      const ok = await bench.run((line) => process.stdout.write(line + '\n'));
      if (ok === false) failed++;
    } catch (e) {
      failed++;
      process.stdout.write(`  FAILED: ${e instanceof Error ? e.stack : e}\n`);
    }
  }
  process.stdout.write(
    failed ? `\n${failed} benchmark(s) missed a target or failed\n` : '\nall targets met\n',
  );
  process.exitCode = failed ? 1 : 0;
}

void main();
