/**
 * Open recordings shared by everything in the agent (viewer pages, spectra, predictions):
 * read-only handles keyed by path + mtime + size, so a file that changes on disk is reopened,
 * in a small LRU whose evicted entries are closed (after their in-flight reads finish).
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { fromFsError } from '../errors';
import { openRecording } from './edf/edfRecording';
import type { Recording } from './recording';

/** Open files kept at once (each holds one descriptor and its annotations). */
export const RECORDING_CACHE_SIZE = 8;

interface Entry {
  key: string;
  recording: Promise<Recording>;
}

/** Map iteration order is insertion order: the first entry is the least recently used. */
const entries = new Map<string, Entry>();

export async function getRecording(file: string): Promise<Recording> {
  const abs = path.resolve(file);
  let stat;
  try {
    stat = await fsp.stat(abs);
  } catch (e) {
    throw fromFsError(e, file);
  }
  const key = `${stat.mtimeMs}:${stat.size}`;
  const cached = entries.get(abs);
  if (cached) {
    entries.delete(abs);
    if (cached.key === key) {
      entries.set(abs, cached);
      return cached.recording;
    }
    release(cached);
  }
  const entry: Entry = { key, recording: openRecording(abs) };
  entries.set(abs, entry);
  entry.recording.catch(() => {
    if (entries.get(abs) === entry) entries.delete(abs);
  });
  while (entries.size > RECORDING_CACHE_SIZE) {
    const [oldest, old] = entries.entries().next().value as [string, Entry];
    entries.delete(oldest);
    release(old);
  }
  return entry.recording;
}

/** Closes every cached recording (agent shutdown, tests). */
export async function closeAllRecordings(): Promise<void> {
  const all = [...entries.values()];
  entries.clear();
  await Promise.all(all.map(release));
}

async function release(entry: Entry): Promise<void> {
  try {
    await (await entry.recording).close();
  } catch {
    // A recording that failed to open holds nothing to close.
  }
}
