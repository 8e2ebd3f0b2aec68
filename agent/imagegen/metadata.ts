/**
 * The provenance of a generated illustration: embedded in the PNG (text chunks) and written as a
 * JSON sidecar, so a figure can be regenerated exactly and is never mistaken for patient data.
 */
import { MedLabError } from '../errors';
import { GENERATED_IMAGE_LABEL, type IllustrationMetadata, type ImagegenRequest } from '../protocol';
import { readPngText, writePngText } from '../files/pngText';
import { findGeneratedMarker, GENERATED_KEYWORD } from '../xray/decode/generatedMarker';

/** PNG text keywords. `parameters` is the A1111 convention many viewers show. */
export const KEY_LABEL = GENERATED_KEYWORD;
export const KEY_METADATA = 'medlab:metadata';
const KEY_COMMENT = 'Comment';
const KEY_PARAMETERS = 'parameters';

function a1111Parameters(m: IllustrationMetadata): string {
  const lines = [m.prompt];
  if (m.negativePrompt) lines.push(`Negative prompt: ${m.negativePrompt}`);
  const fields = [
    m.steps !== null ? `Steps: ${m.steps}` : undefined,
    m.sampler ? `Sampler: ${m.sampler}` : undefined,
    m.cfgScale !== null ? `CFG scale: ${m.cfgScale}` : undefined,
    m.seed !== null ? `Seed: ${m.seed}` : undefined,
    `Size: ${m.width}x${m.height}`,
    m.model ? `Model: ${m.model}` : undefined,
    ...m.loras.map((l) => `Lora: ${l.name}:${l.weight}`),
  ].filter(Boolean);
  lines.push(fields.join(', '));
  return lines.join('\n');
}

export function embedMetadata(png: Buffer, m: IllustrationMetadata): Buffer {
  return writePngText(png, {
    [KEY_LABEL]: GENERATED_IMAGE_LABEL,
    [KEY_COMMENT]: GENERATED_IMAGE_LABEL,
    [KEY_METADATA]: JSON.stringify(m),
    [KEY_PARAMETERS]: a1111Parameters(m),
  });
}

/** True when the file is a MedLab illustration or carries the AI-generated label anywhere in its text. */
export function isGeneratedIllustration(file: Buffer): boolean {
  return findGeneratedMarker(file) !== undefined;
}

function field<T>(o: Record<string, unknown>, name: string, ok: (v: unknown) => boolean, where: string): T {
  if (!ok(o[name]))
    throw new MedLabError('E_IMAGE_DECODE', `illustration metadata field "${name}" is missing or invalid`, {
      path: where,
      field: name,
    });
  return o[name] as T;
}

const isStr = (v: unknown) => typeof v === 'string';
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const numOrNull = (v: unknown) => v === null || isNum(v);

/** Validates parsed metadata (from a PNG or a sidecar); names the field that is wrong. */
export function parseMetadata(raw: unknown, where: string): IllustrationMetadata {
  if (!raw || typeof raw !== 'object')
    throw new MedLabError('E_IMAGE_DECODE', `no MedLab illustration metadata in ${where}`, { path: where });
  const o = raw as Record<string, unknown>;
  const loras = field<unknown[]>(o, 'loras', Array.isArray, where).map((l, i) => {
    const x = l as Record<string, unknown>;
    if (!isStr(x?.name) || !isNum(x?.weight))
      throw new MedLabError('E_IMAGE_DECODE', `illustration metadata loras[${i}] is invalid`, {
        path: where,
        field: `loras[${i}]`,
      });
    return { name: x.name as string, weight: x.weight as number };
  });
  return {
    generator: 'medlab',
    label: GENERATED_IMAGE_LABEL,
    serverKind: field(
      o,
      'serverKind',
      (v) => v === 'a1111' || v === 'sdcpp' || v === 'localai' || v === 'openai',
      where,
    ),
    serverUrl: field(o, 'serverUrl', isStr, where),
    model: field(o, 'model', strOrNull, where),
    prompt: field(o, 'prompt', isStr, where),
    negativePrompt: field(o, 'negativePrompt', strOrNull, where),
    loras,
    seed: field(o, 'seed', numOrNull, where),
    seedSource: field(
      o,
      'seedSource',
      (v) => v === 'reported' || v === 'requested' || v === 'unknown',
      where,
    ),
    width: field(o, 'width', isNum, where),
    height: field(o, 'height', isNum, where),
    steps: field(o, 'steps', numOrNull, where),
    cfgScale: field(o, 'cfgScale', numOrNull, where),
    sampler: field(o, 'sampler', strOrNull, where),
    createdAt: field(o, 'createdAt', isStr, where),
  };
}

export function metadataFromPng(png: Buffer, where: string): IllustrationMetadata {
  const text = readPngText(png).get(KEY_METADATA);
  if (text === undefined)
    throw new MedLabError('E_IMAGE_DECODE', `${where} carries no MedLab illustration metadata`, {
      path: where,
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MedLabError('E_IMAGE_DECODE', `the illustration metadata in ${where} is not valid JSON`, {
      path: where,
      field: KEY_METADATA,
    });
  }
  return parseMetadata(parsed, where);
}

/** The request that regenerates a saved figure: same server, model, prompt, LoRAs, seed, size, steps. */
export function regenerationRequest(m: IllustrationMetadata): ImagegenRequest {
  return {
    server: m.serverUrl,
    ...(m.model ? { model: m.model } : {}),
    prompt: m.prompt,
    ...(m.negativePrompt ? { negativePrompt: m.negativePrompt } : {}),
    loras: m.loras,
    width: m.width,
    height: m.height,
    ...(m.steps !== null ? { steps: m.steps } : {}),
    ...(m.cfgScale !== null ? { cfgScale: m.cfgScale } : {}),
    ...(m.sampler ? { sampler: m.sampler } : {}),
    ...(m.seed !== null ? { seed: m.seed } : {}),
    count: 1,
  };
}
