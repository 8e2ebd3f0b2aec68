/**
 * The OpenAI `/v1/images/generations` protocol: the fallback for LocalAI and other
 * OpenAI-compatible servers. It has no seed, steps, negative prompt or LoRA fields; LocalAI adds
 * a negative prompt after `|`, `step` for steps and `<lora:name:w>` tags (ggml backend).
 */
import { MedLabError } from '../errors';
import type { ImageServerInfo } from '../protocol';
import type { RunContext } from '../runContext';
import {
  matchInstalled,
  postGeneration,
  generationError,
  type GeneratedPng,
  type GenerationJob,
  type ImageServerAdapter,
} from './adapter';
import { loraTag } from './sdapi';

export class OpenAiImagesAdapter implements ImageServerAdapter {
  constructor(readonly info: ImageServerInfo) {}

  private get isLocalAi(): boolean {
    return this.info.kind === 'localai';
  }

  checkInstalled(job: GenerationJob): void {
    if (job.model && this.info.models.length && !matchInstalled(job.model, this.info.models)) {
      throw new MedLabError(
        'E_IMAGEGEN_MODEL',
        `model "${job.model}" is not installed on ${this.info.url} (installed: ${this.info.models.join(', ')})`,
        { field: 'model' },
      );
    }
  }

  requestBody(job: GenerationJob): Record<string, unknown> {
    let prompt = job.prompt;
    const body: Record<string, unknown> = {
      model: job.model ?? this.info.models[0] ?? undefined,
      n: 1,
      size: `${job.width}x${job.height}`,
      response_format: 'b64_json',
    };
    if (this.isLocalAi) {
      if (job.loras.length) prompt = [prompt, ...job.loras.map((l) => loraTag(l.name, l.weight))].join(' ');
      if (job.negativePrompt) prompt = `${prompt}|${job.negativePrompt}`;
      body.step = job.steps;
    }
    body.prompt = prompt;
    return body;
  }

  async generate(job: GenerationJob, ctx: RunContext): Promise<GeneratedPng> {
    const reply = await postGeneration(
      this.info.url,
      '/v1/images/generations',
      this.requestBody(job),
      ctx.signal,
    );
    if (reply.status !== 200) throw generationError(this.info.url, job, reply);
    const data = (reply.body as { data?: { b64_json?: unknown; url?: unknown }[] } | undefined)?.data?.[0];
    let png: Buffer | undefined;
    if (typeof data?.b64_json === 'string' && data.b64_json) png = Buffer.from(data.b64_json, 'base64');
    else if (typeof data?.url === 'string') png = await this.download(data.url, ctx.signal);
    if (!png) throw new MedLabError('E_IMAGEGEN', `${this.info.url} answered without an image`);
    return { png, seed: null, seedSource: 'unknown' };
  }

  private async download(url: string, signal: AbortSignal): Promise<Buffer> {
    const absolute = new URL(url, this.info.url + '/');
    if (absolute.origin !== new URL(this.info.url).origin) {
      throw new MedLabError(
        'E_IMAGEGEN',
        `${this.info.url} returned an image on another host (${absolute.host}); not fetched`,
      );
    }
    const res = await fetch(absolute, { signal });
    if (!res.ok)
      throw new MedLabError(
        'E_IMAGEGEN',
        `could not fetch the generated image ${absolute.pathname} (HTTP ${res.status})`,
      );
    return Buffer.from(await res.arrayBuffer());
  }
}
