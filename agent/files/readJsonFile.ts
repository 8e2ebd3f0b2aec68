/** Reads a JSON file the user pointed at: a missing file or broken JSON is one typed error naming the file. */
import * as fs from 'node:fs';
import { MedLabError, fromFsError } from '../errors';
import type { ErrorCode } from '../protocol';

/** `code` is the error a caller's users expect for invalid content (E_RESULTS, E_MODEL_MANIFEST...). */
export async function readJsonFile(file: string, code: ErrorCode): Promise<unknown> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw fromFsError(e, file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MedLabError(code, `${file}: not valid JSON (${(e as Error).message})`, { path: file });
  }
}
