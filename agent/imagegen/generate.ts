/**
 * Generates illustrations: validates the request, finds the server, then one request per seed
 * (seed, seed+1, ...) so every image's seed is known, and embeds the provenance in each PNG.
 */
import { randomInt } from 'node:crypto';
import { MedLabError, throwIfAborted } from '../errors';
import {
  GENERATED_IMAGE_LABEL,
  type IllustrationMetadata,
  type ImagegenRequest,
  type ImagegenResult,
} from '../protocol';
import type { RunContext } from '../runContext';
import { settings } from '../settings';
import { unsupportedSettings, type GenerationJob } from './adapter';
import { detectServer } from './detect';
import { embedMetadata } from './metadata';
import { isPng } from '../files/pngText';

export const MAX_COUNT = 8;
const DEFAULTS = { width: 1024, height: 1024, steps: 30, cfgScale: 7 };

function intInRange(
  value: number | undefined,
  fallback: number,
  lo: number,
  hi: number,
  name: string,
  code: 'E_USAGE' | 'E_IMAGEGEN_SIZE' = 'E_USAGE',
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new MedLabError(code, `${name} must be a whole number from ${lo} to ${hi}; got ${v}`, {
      field: name,
    });
  }
  return v;
}

/** Checks and completes a request; throws naming the field. */
export function planJobs(req: ImagegenRequest): GenerationJob[] {
  const prompt = req.prompt?.trim();
  if (!prompt) throw new MedLabError('E_USAGE', 'the prompt is empty', { field: 'prompt' });
  const width = intInRange(req.width, DEFAULTS.width, 64, 2048, 'width', 'E_IMAGEGEN_SIZE');
  const height = intInRange(req.height, DEFAULTS.height, 64, 2048, 'height', 'E_IMAGEGEN_SIZE');
  if (width % 8 || height % 8) {
    throw new MedLabError(
      'E_IMAGEGEN_SIZE',
      `width and height must be multiples of 8 (Stable Diffusion latents); got ${width}x${height}`,
      { field: width % 8 ? 'width' : 'height' },
    );
  }
  const steps = intInRange(req.steps, DEFAULTS.steps, 1, 150, 'steps');
  const count = intInRange(req.count, 1, 1, MAX_COUNT, 'count');
  const cfgScale = req.cfgScale ?? DEFAULTS.cfgScale;
  if (!(cfgScale > 0 && cfgScale <= 30))
    throw new MedLabError('E_USAGE', `cfgScale must be in (0, 30]; got ${cfgScale}`, { field: 'cfgScale' });
  const seed = req.seed ?? randomInt(0, 2 ** 32 - MAX_COUNT);
  intInRange(seed, 0, 0, 2 ** 32 - 1 - (count - 1), 'seed');
  for (const [i, l] of (req.loras ?? []).entries()) {
    if (!l.name?.trim()) throw new MedLabError('E_USAGE', `lora ${i + 1} has no name`, { field: 'lora' });
    if (!Number.isFinite(l.weight) || l.weight < -5 || l.weight > 5) {
      throw new MedLabError(
        'E_USAGE',
        `lora "${l.name}" weight must be a number in [-5, 5]; got ${l.weight}`,
        { field: 'lora' },
      );
    }
  }
  return Array.from({ length: count }, (_, k) => ({
    prompt,
    negativePrompt: req.negativePrompt?.trim() || null,
    loras: req.loras ?? [],
    width,
    height,
    steps,
    cfgScale,
    sampler: req.sampler ?? null,
    seed: seed + k,
    model: req.model ?? null,
  }));
}

export async function generateIllustrations(req: ImagegenRequest, ctx: RunContext): Promise<ImagegenResult> {
  const jobs = planJobs(req);
  const server = await detectServer(req.server ?? settings().imagegenServer);
  server.checkInstalled(jobs[0]);
  const warnings = [
    ...(server.info.warning ? [server.info.warning] : []),
    ...unsupportedSettings(server.info.capabilities, jobs[0]),
  ];
  const images: ImagegenResult['images'] = [];
  for (const [k, job] of jobs.entries()) {
    throwIfAborted(ctx.signal, 'image generation');
    const prefix = jobs.length > 1 ? `image ${k + 1}/${jobs.length}: ` : '';
    ctx.progress({ message: `${prefix}generating`, done: k, total: jobs.length });
    const out = await server.generate(job, {
      ...ctx,
      progress: (r) => ctx.progress({ ...r, message: `${prefix}${r.message ?? ''}` }),
    });
    if (!isPng(out.png))
      throw new MedLabError('E_IMAGEGEN', `${server.info.url} returned an image that is not a PNG`);
    const metadata: IllustrationMetadata = {
      generator: 'medlab',
      label: GENERATED_IMAGE_LABEL,
      serverKind: server.info.kind,
      serverUrl: server.info.url,
      model: job.model ?? (server.info.kind === 'sdcpp' ? (server.info.models[0] ?? null) : null),
      prompt: job.prompt,
      negativePrompt: server.info.capabilities.negativePrompt ? job.negativePrompt : null,
      loras: server.info.capabilities.loras === 'none' ? [] : job.loras,
      seed: out.seed,
      seedSource: out.seedSource,
      width: job.width,
      height: job.height,
      steps: server.info.capabilities.steps ? job.steps : null,
      cfgScale: server.info.kind === 'a1111' || server.info.kind === 'sdcpp' ? job.cfgScale : null,
      sampler: job.sampler,
      createdAt: new Date().toISOString(),
    };
    images.push({ png: embedMetadata(out.png, metadata).toString('base64'), metadata });
  }
  ctx.progress({ message: 'done', done: jobs.length, total: jobs.length });
  return { server: server.info, images, warnings };
}
