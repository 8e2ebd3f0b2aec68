/**
 * EDF+ Time-stamped Annotation Lists (TALs), apart from signals: parses the bytes one
 * annotation signal holds in one data record. Pure; tolerant of the common writer faults
 * (missing NUL between TALs, missing sign), which it reports instead of failing the file.
 *
 * TAL = onset [0x15 duration] 0x14 (text 0x14)* 0x00; unused bytes are 0x00.
 */
export interface Tal {
  /** Seconds from the header start date/time, as written. */
  onset: number;
  duration: number | undefined;
  texts: string[];
}

export interface TalParse {
  tals: Tal[];
  /** One line per fault found (generic wording, so a caller can count repeats). */
  problems: string[];
}

const utf8 = new TextDecoder('utf-8');
const ONSET = /^[+-]?\d+(\.\d*)?$/;
const DURATION = /^\+?\d+(\.\d*)?$/;
/** A TAL head after a time-keeping TAL whose writer forgot the NUL: a "text" like "+1.14" or "+1.14\x150.5". */
// eslint-disable-next-line no-control-regex -- 0x15 separates onset and duration in the TAL format
const STRAY_HEAD = /^[+-]\d+(\.\d*)?(\x15\d+(\.\d*)?)?$/;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Parses "onset[\x15duration]"; undefined (with a problem noted) when malformed. */
function parseHead(
  head: string,
  problems: string[],
): { onset: number; duration: number | undefined } | undefined {
  const [onsetText, durationText, ...extra] = head.split('\x15');
  if (!ONSET.test(onsetText) || extra.length) {
    problems.push('TAL onset is not a signed number; TAL skipped');
    return undefined;
  }
  const onset = Number(onsetText);
  let duration: number | undefined;
  if (durationText !== undefined && durationText !== '') {
    if (!DURATION.test(durationText)) {
      problems.push('TAL duration is not a number; duration taken as 0');
    } else duration = Number(durationText);
  }
  return { onset, duration };
}

export function parseTals(bytes: Uint8Array): TalParse {
  const tals: Tal[] = [];
  const problems: string[] = [];
  const n = bytes.length;
  let pos = 0;
  while (pos < n) {
    while (pos < n && bytes[pos] === 0) pos++;
    if (pos >= n) break;
    let end = bytes.indexOf(0, pos);
    if (end === -1) end = n;
    // Split the TAL at 0x14 into its head and texts.
    const parts: [number, number][] = [];
    let from = pos;
    for (let i = pos; i < end; i++) {
      if (bytes[i] === 0x14) {
        parts.push([from, i]);
        from = i + 1;
      }
    }
    const terminated = from === end;
    if (!terminated) parts.push([from, end]);
    if (parts.length < 2 && !terminated)
      problems.push('TAL without 0x14 after its onset; read up to the next 0x00');
    let current: Tal | undefined;
    const head = parseHead(ascii(bytes, parts[0][0], parts[0][1]), problems);
    if (head) current = { ...head, texts: [] };
    for (let k = 1; k < parts.length; k++) {
      const [a, b] = parts[k];
      const text = utf8.decode(bytes.subarray(a, b));
      // Only after an empty text (the end of a time-keeping TAL "+t\x14\x14"): elsewhere a text
      // such as "+0.000000" is a legitimate annotation.
      const afterEmpty = k >= 2 && parts[k - 1][0] === parts[k - 1][1];
      if (afterEmpty && b - a <= 24 && STRAY_HEAD.test(text)) {
        const next = parseHead(text, problems);
        if (next) {
          problems.push('TAL not separated from the previous one by 0x00; read as two TALs');
          if (current) tals.push(current);
          current = { ...next, texts: [] };
          continue;
        }
      }
      current?.texts.push(text);
    }
    if (current) tals.push(current);
    pos = end + 1;
  }
  return { tals, problems };
}
