/**
 * File names that look like a person's name ("Doe_John_CXR.png", "smith-jane.edf"). Pure (no
 * file access), so the extension can label files the same way the agent does.
 */
import { isCommonWord } from './commonWords';
import { words } from './identifiers';

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

// Endings of medical and technical words, which are not surnames.
const TERM_ENDING =
  /(tion|sion|itis|osis|emia|aemia|thorax|graphy|gram|scopy|ectomy|pathy|logy|ness|ity|ium|cystis)$/;

/**
 * Words of a file name that look like a person's name, or undefined when the name does not:
 * two or more adjacent alphabetic words that are not common or technical, in a short name.
 * "Doe_John_CXR.png" → ["doe", "john"]; "person148_virus_298.jpeg" → undefined.
 */
export function nameLikeWords(file: string): string[] | undefined {
  let stem = basename(file);
  for (let i = 0; i < 2; i++) stem = stem.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const segments = stem
    .replace(/([\p{Ll}])([\p{Lu}])/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const alpha = segments.filter((s) => /^\p{L}+$/u.test(s));
  const candidate = (s: string) => {
    if (!/^\p{L}+$/u.test(s) || s.length < 2) return false;
    const w = words(s)[0] ?? '';
    return !isCommonWord(w) && /[aeiouy]/.test(w) && !TERM_ENDING.test(w);
  };
  let best: string[] = [];
  let run: string[] = [];
  for (const s of segments) {
    if (candidate(s)) {
      run.push(s);
      if (run.length > best.length) best = [...run];
    } else run = [];
  }
  const others = alpha.length - best.length;
  if (best.length < 2 || others > 4) return undefined;
  return best.map((s) => words(s)[0]);
}
