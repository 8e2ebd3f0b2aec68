/**
 * The privacy gate in front of every language-model request. Prompts are built from whitelisted
 * structured fields only (prompts.ts); this is the final check: every identifier the agent has
 * read for a prompt (EDF header fields, DICOM patient tags, name-like file names) is remembered
 * for the session, and a request whose text holds one of them is refused with E_PRIVACY before
 * a byte goes out. Image payloads are re-encoded pixels (no metadata) and are not scanned as text.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { MedLabError } from '../errors';
import { IdentifierSet } from './identifiers';
import { nameLikeWords } from './nameLike';

const session = new IdentifierSet();

/** Remembers identifiers for the rest of this process: no later request may carry them. */
export function rememberIdentifiers(set: IdentifierSet): void {
  session.addAll(set);
}

export function privacyError(source: string): MedLabError {
  return new MedLabError(
    'E_PRIVACY',
    `not sent: the request contains a patient identifier (from the ${source}). ` +
      'Remove it from the message; nothing left this machine.',
    { field: source },
  );
}

function* texts(value: unknown, key?: string): Generator<string> {
  if (key === 'images') return;
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* texts(v);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* texts(v, k);
    }
  }
}

/** Throws E_PRIVACY when a string of `request` (images excepted) holds a known identifier. */
export function assertNoIdentifiers(request: unknown, extra?: IdentifierSet): void {
  for (const text of texts(request)) {
    const hit = session.find(text) ?? extra?.find(text);
    if (hit) throw privacyError(hit);
  }
}

/** The same check on a serialised request body, as the HTTP layer sees it. */
export function assertBodyHasNoIdentifiers(body: string, extra?: IdentifierSet): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = body;
  }
  assertNoIdentifiers(parsed, extra);
}

/**
 * How a file is named in reports and messages: its path relative to `root`, with every part
 * that looks like a person's name replaced by a stable placeholder
 * ("covid/[name withheld 3fa2c1].png").
 */
export function safeFileLabel(file: string, root?: string): string {
  const rel = root ? path.relative(root, file) || path.basename(file) : file;
  return rel
    .split(/[\\/]/)
    .map((part) => {
      if (!nameLikeWords(part)) return part;
      const hash = createHash('sha256').update(part).digest('hex').slice(0, 6);
      return `[name withheld ${hash}]${path.extname(part)}`;
    })
    .join('/');
}
