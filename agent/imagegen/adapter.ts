/** One generation as every server adapter receives it, and what an adapter gives back. */
import { MedLabError } from '../errors';
import type { ImageServerCapabilities, ImageServerInfo, LoraRef } from '../protocol';
import type { RunContext } from '../runContext';
import { httpJson, serverMessage, type HttpReply } from './http';

export interface GenerationJob {
  prompt: string;
  negativePrompt: string | null;
  loras: LoraRef[];
  width: number;
  height: number;
  steps: number;
  cfgScale: number;
  sampler: string | null;
  seed: number;
  model: string | null;
}

export interface GeneratedPng {
  png: Buffer;
  seed: number | null;
  seedSource: 'reported' | 'requested' | 'unknown';
}

export interface ImageServerAdapter {
  readonly info: ImageServerInfo;
  /** Throws E_IMAGEGEN_MODEL when the model or a LoRA is not installed. */
  checkInstalled(job: GenerationJob): void;
  generate(job: GenerationJob, ctx: RunContext): Promise<GeneratedPng>;
}

/** Finds `wanted` among installed names (exact, then case-insensitive, then without extension). */
export function matchInstalled(wanted: string, installed: string[]): string | undefined {
  const strip = (s: string) =>
    s
      .toLowerCase()
      .replace(/\s*\[[0-9a-f]+\]$/, '')
      .replace(/\.(safetensors|ckpt|gguf|pt)$/, '');
  return (
    installed.find((n) => n === wanted) ??
    installed.find((n) => n.toLowerCase() === wanted.toLowerCase()) ??
    installed.find((n) => strip(n) === strip(wanted))
  );
}

/** A generation can take minutes on a CPU-only server; only a dead one should time out. */
const GENERATION_TIMEOUT_MS = 30 * 60_000;

/** POSTs one generation request; aborting `signal` closes the connection. */
export function postGeneration(
  url: string,
  route: string,
  body: unknown,
  signal: AbortSignal,
): Promise<HttpReply> {
  return httpJson(url, route, { method: 'POST', body, signal, timeoutMs: GENERATION_TIMEOUT_MS });
}

/** The error for a generation the server answered with anything but 200, in the user's terms. */
export function generationError(url: string, job: GenerationJob, reply: HttpReply): MedLabError {
  const msg = serverMessage(reply);
  if ([400, 422, 500].includes(reply.status) && /\b(width|height|size|resolution|dimension)/i.test(msg)) {
    return new MedLabError('E_IMAGEGEN_SIZE', `${url} refused the size ${job.width}x${job.height}: ${msg}`, {
      field: 'width',
    });
  }
  if (reply.status === 404 && /model/i.test(msg)) {
    return new MedLabError('E_IMAGEGEN_MODEL', `${url}: ${msg}`, { field: 'model' });
  }
  return new MedLabError('E_IMAGEGEN', `${url} failed to generate (HTTP ${reply.status}): ${msg}`);
}

/**
 * Settings of `job` a server with these capabilities will not honour, in words: said to the
 * user, never dropped silently.
 */
export function unsupportedSettings(c: ImageServerCapabilities, job: GenerationJob): string[] {
  const out: string[] = [];
  if (!c.seed)
    out.push('this server takes no seed and reports none: the image cannot be regenerated exactly');
  else if (!c.seedReported) {
    out.push('this server does not report the seed it used; the seed sent with the request is recorded');
  }
  if (!c.negativePrompt && job.negativePrompt)
    out.push('this server has no negative prompt: it was not sent');
  if (c.loras === 'none' && job.loras.length) out.push('this server has no LoRA field: LoRAs were not sent');
  if (!c.steps) out.push('this server takes no step count');
  if (!c.modelSelect && job.model) {
    out.push('this server loads its model when it starts; the model cannot be chosen per request');
  }
  if (!c.progress) out.push('this server reports no progress; a spinner is shown instead');
  if (!c.interrupt) out.push('this server cannot be interrupted; Cancel closes the request');
  return out;
}
