/**
 * The result cache of a diagnosis output folder: one JSON line per image, keyed by (file content
 * sha256, model sha256), appended as soon as a batch is done. A rerun, or a run resumed after a
 * crash or Ctrl-C, takes every image it finds here and repeats no work; a line torn by a kill is
 * ignored. A file whose path, size and modification time are unchanged is matched without
 * reading it again.
 */
import * as fs from 'node:fs';
import { fromFsError } from '../errors';
import type { XrayRowError } from '../protocol';
import { writeFileAtomic } from '../files/atomicWrite';

export const CACHE_FILE = 'cache.jsonl';

export interface CacheEntry {
  /** sha256 of the file's bytes. */
  content: string;
  /** sha256 of the model file. */
  model: string;
  /** Probabilities in the model's label order, or null for an error. */
  probabilities: number[] | null;
  error: XrayRowError | null;
  /** Where and what the file was when diagnosed (for the no-read match). */
  rel: string;
  size: number;
  mtimeMs: number;
}

function isEntry(v: unknown): v is CacheEntry {
  const e = v as CacheEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.content === 'string' &&
    typeof e.model === 'string' &&
    typeof e.rel === 'string' &&
    (e.probabilities === null || Array.isArray(e.probabilities)) &&
    (e.error === null || typeof e.error === 'object')
  );
}

const statKey = (rel: string, size: number, mtimeMs: number) => `${rel}\0${size}\0${mtimeMs}`;

export class ResultCache {
  private readonly byContent = new Map<string, CacheEntry>();
  private readonly byStat = new Map<string, CacheEntry>();
  /** The file ends in a torn line: the next append starts on a fresh line. */
  private torn = false;

  private constructor(
    readonly file: string,
    readonly model: string,
  ) {}

  /** Opens (or starts) the cache file; only entries of `model` are used. */
  static async open(file: string, model: string): Promise<ResultCache> {
    const cache = new ResultCache(file, model);
    let text = '';
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fromFsError(e, file);
    }
    cache.torn = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (isEntry(entry) && entry.model === model) cache.remember(entry);
      } catch {
        // a line cut short by a kill: that image is simply done again
      }
    }
    return cache;
  }

  private remember(e: CacheEntry): void {
    this.byContent.set(e.content, e);
    this.byStat.set(statKey(e.rel, e.size, e.mtimeMs), e);
  }

  get size(): number {
    return this.byContent.size;
  }

  /** The entry for an unchanged file (same path, size and mtime), without reading it. */
  unchanged(rel: string, size: number, mtimeMs: number): CacheEntry | undefined {
    return this.byStat.get(statKey(rel, size, mtimeMs));
  }

  withContent(content: string): CacheEntry | undefined {
    return this.byContent.get(content);
  }

  /** Records entries in memory and appends them to the file (one write). */
  async add(entries: CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const e of entries) this.remember(e);
    const text = (this.torn ? '\n' : '') + entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    this.torn = false;
    try {
      await fs.promises.appendFile(this.file, text);
    } catch (e) {
      throw fromFsError(e, this.file);
    }
  }

  /** Rewrites the file with this model's entries only, one per content (drops stale lines). */
  async compact(): Promise<void> {
    const seen = new Set<CacheEntry>();
    const lines: string[] = [];
    for (const e of [...this.byContent.values(), ...this.byStat.values()]) {
      if (seen.has(e)) continue;
      seen.add(e);
      lines.push(JSON.stringify(e));
    }
    await writeFileAtomic(this.file, lines.length ? lines.join('\n') + '\n' : '');
  }
}
