/**
 * The language model's answers of a comparison study, cached like diagnosis results
 * (agent/xray/cache.ts): one JSON line per image, appended as soon as the answer arrives, keyed
 * by (file content sha256, classifier key = model digest + prompt + schema + seed + options).
 * A rerun or a run resumed after Ctrl-C asks the model nothing it has already answered; a line
 * torn by a kill is ignored; answers made under another key stay in the file but are not used.
 * File paths are stored hashed: a file named after a patient leaves no name here.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { fromFsError } from '../errors';
import type { ClassifierAnswer } from '../llm/classifier';

export const LLM_CACHE_FILE = 'llm-answers.jsonl';

export interface LlmCacheEntry extends ClassifierAnswer {
  content: string;
  key: string;
  /** sha256 of the relative path, and the file's size and time when answered (to match without reading it). */
  pathHash: string;
  size: number;
  mtimeMs: number;
}

function isEntry(v: unknown): v is LlmCacheEntry {
  const e = v as LlmCacheEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.content === 'string' &&
    typeof e.key === 'string' &&
    typeof e.pathHash === 'string' &&
    ['valid', 'invalid', 'refused', 'error'].includes(e.status) &&
    typeof e.raw === 'string'
  );
}

export class LlmAnswerCache {
  private readonly byContent = new Map<string, LlmCacheEntry>();
  private readonly byPath = new Map<string, LlmCacheEntry>();

  private constructor(
    readonly file: string,
    readonly key: string,
  ) {}

  static async open(file: string, key: string): Promise<LlmAnswerCache> {
    const cache = new LlmAnswerCache(file, key);
    let text = '';
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fromFsError(e, file);
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        continue; // torn by a kill
      }
      if (isEntry(v) && v.key === key) cache.remember(v);
    }
    return cache;
  }

  private remember(e: LlmCacheEntry): void {
    this.byContent.set(e.content, e);
    this.byPath.set(e.pathHash, e);
  }

  get size(): number {
    return this.byContent.size;
  }

  /** An answer for a file whose path, size and modification time are unchanged. */
  unchanged(rel: string, size: number, mtimeMs: number): LlmCacheEntry | undefined {
    const e = this.byPath.get(pathHash(rel));
    return e && e.size === size && e.mtimeMs === mtimeMs ? e : undefined;
  }

  withContent(content: string): LlmCacheEntry | undefined {
    return this.byContent.get(content);
  }

  /** Appends answers (one line each) and remembers them. */
  async add(entries: LlmCacheEntry[]): Promise<void> {
    if (!entries.length) return;
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    try {
      await fs.promises.appendFile(this.file, text);
    } catch (e) {
      throw fromFsError(e, this.file);
    }
    for (const e of entries) this.remember(e);
  }
}

export function pathHash(rel: string): string {
  return createHash('sha256').update(rel).digest('hex');
}
