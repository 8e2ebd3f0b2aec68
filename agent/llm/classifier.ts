/**
 * A vision language model used as a chest X-ray classifier, for the comparison study. Each image
 * gets the same fixed prompt and an Ollama `format` JSON schema whose label is restricted to the
 * DenseNet's labels, at temperature 0 with a fixed seed. The answer is parsed and validated;
 * an answer that is not valid JSON of that schema is "invalid", a refusal in words is "refused".
 * Both are kept, with the raw text, and counted as failures by the study, never dropped.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { decodeXray } from '../xray/decode/decodeFile';
import type { OllamaHost } from './connection';
import { runGeneration } from './generation';
import type { IdentifierSet } from './identifiers';

export type AnswerStatus = 'valid' | 'invalid' | 'refused' | 'error';

export interface ClassifierSetup {
  host: OllamaHost;
  model: string;
  labels: readonly string[];
  seed: number;
  numCtx: number;
  /** Identifiers of this image (DICOM tags) for the privacy gate. */
  identifiers?: IdentifierSet;
}

export interface ClassifierAnswer {
  status: AnswerStatus;
  prediction: string | null;
  /** The model's stated confidence (0..1) when valid and given. */
  confidence: number | null;
  /** The model's text exactly as received ("" when there was none). */
  raw: string;
  /** Why the answer is invalid / the image failed (E_IMAGE_DECODE ...). */
  error: string | null;
}

/** Longest side sent to the model: MedGemma (Gemma 3) resizes to 896 × 896 itself. */
export const MAX_IMAGE_SIDE = 896;
/** Bumped whenever the prompt, schema or image preparation changes (it keys the cache). */
export const CLASSIFIER_VERSION = 1;

export function classificationPrompt(labels: readonly string[]): string {
  return (
    'This is one chest X-ray from a research dataset (not for clinical use). ' +
    `Classify it into exactly one of these classes: ${labels.join(', ')}. ` +
    `Answer only with JSON: {"label": one of ${JSON.stringify(labels)}, "confidence": a number from 0 to 1}.`
  );
}

export function classificationSchema(labels: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      label: { type: 'string', enum: [...labels] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
    },
    required: ['label', 'confidence'],
  };
}

/** Everything that decides an answer besides the image: a change means a new answer. */
export function classifierKey(setup: ClassifierSetup, modelDigest: string | null): string {
  const material = JSON.stringify({
    v: CLASSIFIER_VERSION,
    model: setup.model,
    digest: modelDigest,
    prompt: classificationPrompt(setup.labels),
    schema: classificationSchema(setup.labels),
    seed: setup.seed,
    temperature: 0,
    numCtx: setup.numCtx,
    side: MAX_IMAGE_SIDE,
  });
  return createHash('sha256').update(material).digest('hex');
}

const REFUSAL =
  /\b(cannot|can't|can not|unable to|not able to|won't|will not|not qualified|as an ai|i'm sorry|i am sorry|consult (a|your)|medical professional)\b/i;

/** Validates the model's text against the schema; canonicalises the label's case. */
export function parseAnswer(
  raw: string,
  labels: readonly string[],
  doneReason: string | null,
): ClassifierAnswer {
  const text = raw.trim();
  const fail = (status: 'invalid' | 'refused', error: string): ClassifierAnswer => ({
    status,
    prediction: null,
    confidence: null,
    raw,
    error,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (doneReason === 'length') return fail('invalid', 'the answer was cut off at the output limit');
    if (REFUSAL.test(text)) return fail('refused', 'the model declined to classify');
    return fail('invalid', text ? 'the answer is not JSON' : 'the answer is empty');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid', 'the answer is not a JSON object');
  }
  const o = value as { label?: unknown; confidence?: unknown };
  if (typeof o.label !== 'string') return fail('invalid', 'the answer has no "label" string');
  const label = labels.find((l) => l.toLowerCase() === (o.label as string).trim().toLowerCase());
  if (!label)
    return fail('invalid', `the label "${o.label.slice(0, 40)}" is not one of ${labels.join(', ')}`);
  const c = typeof o.confidence === 'number' && o.confidence >= 0 && o.confidence <= 1 ? o.confidence : null;
  return { status: 'valid', prediction: label, confidence: c, raw, error: null };
}

/**
 * The image as the model gets it: decoded to 8-bit grayscale like every MedLab X-ray (DICOM
 * through its display pipeline), shrunk to MAX_IMAGE_SIDE and re-encoded as a PNG from pixels,
 * so no metadata (EXIF, PNG text, DICOM tags) can travel with it.
 */
export async function imageForModel(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const gray = await decodeXray(bytes, file);
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(gray.width, gray.height));
  let img = sharp(Buffer.from(gray.data.buffer, gray.data.byteOffset, gray.data.byteLength), {
    raw: { width: gray.width, height: gray.height, channels: 1 },
  });
  if (scale < 1) {
    img = img.resize(
      Math.max(1, Math.round(gray.width * scale)),
      Math.max(1, Math.round(gray.height * scale)),
      {
        kernel: 'lanczos3',
      },
    );
  }
  return new Uint8Array(await img.png().toBuffer());
}

/** Asks the model about one prepared image. Ollama failures (down, not pulled...) are thrown. */
export async function classifyImage(
  setup: ClassifierSetup,
  png: Uint8Array,
  signal: AbortSignal,
): Promise<ClassifierAnswer> {
  const out = await runGeneration(
    {
      host: setup.host,
      model: setup.model,
      turns: [{ role: 'user', content: classificationPrompt(setup.labels), images: [png] }],
      numCtx: setup.numCtx,
      temperature: 0,
      seed: setup.seed,
      maxTokens: 256,
      format: classificationSchema(setup.labels),
      identifiers: setup.identifiers,
      action: 'classifying an image',
    },
    signal,
  );
  return parseAnswer(out.text, setup.labels, out.doneReason);
}
