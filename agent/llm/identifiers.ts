/**
 * A set of patient identifiers and the test "does this text contain one of them". Text and
 * identifiers are compared after folding case and accents and treating every run of
 * punctuation as one space, so "DOE^JANE", "Jane Doe", "jane_doe" and "MRN-0001" / "mrn 0001"
 * all meet. Two kinds of entries:
 * - phrases: a whole field ("fake general hospital", "mrn 0001", a birth date in several
 *   spellings), matched as a sequence of whole words;
 * - tokens: single words of a field that point at a person on their own ("doe", "jane",
 *   "subject0"). Common words are never tokens (see commonWords.ts).
 * The values themselves never leave this module in messages: callers get the field's source.
 */
import { isCommonWord } from './commonWords';

export type IdentifierSource =
  'EDF patient field' | 'EDF recording field' | 'DICOM patient tags' | 'file name' | 'identifier';

/**
 * How a field's single words are judged. `name`: every uncommon word identifies; `code` (record
 * numbers, accession numbers): only words with digits do, the whole value always does; `free`:
 * only capitalised uncommon words and words with digits; `date`: the date in its spellings.
 */
export type FieldKind = 'name' | 'code' | 'free' | 'date';

/** Case- and accent-folded words of `text` (letters and digits of any script). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Spellings of one date (EDF "02-MAR-1970", DICOM "19700302") a prompt could carry. */
export function dateSpellings(value: string): string[] {
  let y: number, m: number, d: number;
  const edf = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(value.trim());
  const da = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  if (edf) {
    d = Number(edf[1]);
    m = MONTHS.indexOf(edf[2].toLowerCase()) + 1;
    y = Number(edf[3]);
  } else if (da) {
    y = Number(da[1]);
    m = Number(da[2]);
    d = Number(da[3]);
  } else return [];
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return [];
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  const mon = MONTHS[m - 1];
  const month = MONTH_NAMES[m - 1];
  return [
    `${dd} ${mon} ${y}`,
    `${d} ${mon} ${y}`,
    `${d} ${month} ${y}`,
    `${month} ${d} ${y}`,
    `${mon} ${d} ${y}`,
    `${y} ${mm} ${dd}`,
    `${y}${mm}${dd}`,
    `${dd} ${mm} ${y}`,
    `${mm} ${dd} ${y}`,
    `${dd}${mm}${y}`,
  ];
}

/** Is one folded word specific enough to block on its own? */
function isIdentifyingWord(word: string, kind: FieldKind, original: string): boolean {
  if (isCommonWord(word)) return false;
  const digits = /^\p{N}+$/u.test(word);
  if (digits) return word.length >= 5; // record numbers, compact dates
  const mixed = /\p{N}/u.test(word);
  if (mixed) return word.length >= 4; // "subject0", "opsa614"
  if (kind === 'name') return word.length >= 2;
  if (kind === 'code') return false;
  // Free text: only words written like a proper name (capitalised) and not short.
  return word.length >= 4 && /^\p{Lu}/u.test(original);
}

export class IdentifierSet {
  private readonly phrases = new Map<string, IdentifierSource>();
  private readonly tokens = new Map<string, IdentifierSource>();

  get size(): number {
    return this.phrases.size + this.tokens.size;
  }

  /** Adds one field value. Placeholders ("X", empty) add nothing. */
  add(source: IdentifierSource, value: string, kind: FieldKind): void {
    if (kind === 'date') {
      for (const s of dateSpellings(value)) this.phrases.set(s, source);
      return;
    }
    const originals = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const folded = words(value);
    if (folded.length === 0) return;
    const phrase = folded.join(' ');
    if (folded.length > 1 && phrase.replace(/ /g, '').length >= 4) {
      this.phrases.set(phrase, source);
      // "DOE^JANE" is written "Jane Doe" in prose.
      if (kind !== 'free' && folded.length === 2) this.phrases.set(`${folded[1]} ${folded[0]}`, source);
    }
    folded.forEach((w, i) => {
      if (isIdentifyingWord(w, kind, originals[i] ?? w)) this.tokens.set(w, source);
    });
    // A one-word code ("ABCDEF") is the identifier itself.
    if (kind === 'code' && folded.length === 1 && folded[0].length >= 4 && !isCommonWord(folded[0])) {
      this.tokens.set(folded[0], source);
    }
  }

  addAll(other: IdentifierSet): void {
    for (const [k, v] of other.phrases) if (!this.phrases.has(k)) this.phrases.set(k, v);
    for (const [k, v] of other.tokens) if (!this.tokens.has(k)) this.tokens.set(k, v);
  }

  /** The source of the first identifier found in `text`, or undefined. */
  find(text: string): IdentifierSource | undefined {
    const w = words(text);
    if (w.length === 0) return undefined;
    for (const token of w) {
      const hit = this.tokens.get(token);
      if (hit) return hit;
    }
    if (this.phrases.size === 0) return undefined;
    const joined = ` ${w.join(' ')} `;
    for (const [phrase, source] of this.phrases) if (joined.includes(` ${phrase} `)) return source;
    return undefined;
  }
}
