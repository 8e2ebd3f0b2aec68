/** One generation as every server adapter receives it, and what an adapter gives back. */
import { MedLabError } from '../errors';
import type { ImageServerInfo, LoraRef } from '../protocol';
import type { RunContext } from '../runContext';
import { httpJson, type HttpReply } from './http';

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
  /** Settings of `job` this server will not honour, in words (said to the user, never dropped silently). */
  unsupported(job: GenerationJob): string[];
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

export function sizeRefused(url: string, job: GenerationJob, serverText: string): MedLabError {
  return new MedLabError(
    'E_IMAGEGEN_SIZE',
    `${url} refused the size ${job.width}x${job.height}: ${serverText}`,
    {
      field: 'width',
    },
  );
}
