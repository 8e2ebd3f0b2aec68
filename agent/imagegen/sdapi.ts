/**
 * The A1111 `/sdapi/v1` protocol, spoken by AUTOMATIC1111, Forge and stable-diffusion.cpp's
 * sd-server. One branch differs: LoRAs are a `<lora:name:w>` prompt tag for A1111/Forge and a
 * structured `lora` list for sd.cpp (which ignores prompt tags); sd.cpp also reports no seed,
 * has no progress or interrupt route, and fixes its model at start.
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
import { httpJson } from './http';

const PROGRESS_POLL_MS = 500;

export function loraTag(name: string, weight: number): string {
  return `<lora:${name}:${weight}>`;
}

interface Txt2ImgReply {
  images?: unknown;
  info?: unknown;
}

function seedFromInfo(info: unknown): number | null {
  if (typeof info !== 'string' || !info.trim()) return null;
  try {
    const parsed = JSON.parse(info) as { seed?: unknown; all_seeds?: unknown };
    if (typeof parsed.seed === 'number') return parsed.seed;
    if (Array.isArray(parsed.all_seeds) && typeof parsed.all_seeds[0] === 'number')
      return parsed.all_seeds[0];
  } catch {
    // A non-JSON info string carries no seed.
  }
  return null;
}

export class SdapiAdapter implements ImageServerAdapter {
  constructor(readonly info: ImageServerInfo) {}

  private get isSdcpp(): boolean {
    return this.info.kind === 'sdcpp';
  }

  checkInstalled(job: GenerationJob): void {
    if (job.model && !matchInstalled(job.model, this.info.models)) {
      const list = this.info.models.length ? this.info.models.join(', ') : 'none listed';
      throw new MedLabError(
        'E_IMAGEGEN_MODEL',
        `model "${job.model}" is not installed on ${this.info.url} (installed: ${list})`,
        { field: 'model' },
      );
    }
    const names = this.info.loras.flatMap((l) => [l.name, ...(l.alias ? [l.alias] : [])]);
    for (const l of job.loras) {
      if (!matchInstalled(l.name, names)) {
        throw new MedLabError(
          'E_IMAGEGEN_MODEL',
          `LoRA "${l.name}" is not installed on ${this.info.url} (installed: ${names.length ? names.join(', ') : 'none'})`,
          { field: 'lora' },
        );
      }
    }
  }

  /** The txt2img body for this server kind (exported for tests of what is sent). */
  requestBody(job: GenerationJob): Record<string, unknown> {
    const body: Record<string, unknown> = {
      prompt: job.prompt,
      negative_prompt: job.negativePrompt ?? '',
      width: job.width,
      height: job.height,
      steps: job.steps,
      cfg_scale: job.cfgScale,
      seed: job.seed,
      batch_size: 1,
      n_iter: 1,
    };
    if (job.sampler) body.sampler_name = job.sampler;
    if (this.isSdcpp) {
      if (job.loras.length) {
        body.lora = job.loras.map((l) => {
          const entry = this.info.loras.find((x) => x.name === l.name || x.alias === l.name);
          return { path: entry?.path ?? l.name, multiplier: l.weight };
        });
      }
    } else {
      if (job.loras.length)
        body.prompt = [job.prompt, ...job.loras.map((l) => loraTag(l.name, l.weight))].join(' ');
      body.send_images = true;
      body.save_images = false;
      if (job.model) {
        body.override_settings = {
          sd_model_checkpoint: matchInstalled(job.model, this.info.models) ?? job.model,
        };
        body.override_settings_restore_afterwards = true;
      }
    }
    return body;
  }

  async generate(job: GenerationJob, ctx: RunContext): Promise<GeneratedPng> {
    const poll = this.info.capabilities.progress ? this.pollProgress(ctx) : undefined;
    const onAbort = () => {
      if (this.info.capabilities.interrupt) {
        void httpJson(this.info.url, '/sdapi/v1/interrupt', { method: 'POST', timeoutMs: 2000 }).catch(
          () => undefined,
        );
      }
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await postGeneration(
        this.info.url,
        '/sdapi/v1/txt2img',
        this.requestBody(job),
        ctx.signal,
      );
      if (reply.status !== 200) throw generationError(this.info.url, job, reply);
      const body = reply.body as Txt2ImgReply | undefined;
      const first = Array.isArray(body?.images) ? body.images[0] : undefined;
      if (typeof first !== 'string' || !first) {
        throw new MedLabError('E_IMAGEGEN', `${this.info.url} answered txt2img without an image`);
      }
      const reported = seedFromInfo(body?.info);
      const png = Buffer.from(first.replace(/^data:image\/\w+;base64,/, ''), 'base64');
      return reported !== null
        ? { png, seed: reported, seedSource: 'reported' }
        : { png, seed: job.seed, seedSource: 'requested' };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      poll?.stop();
    }
  }

  private pollProgress(ctx: RunContext): { stop(): void } {
    let stopped = false;
    const tick = async () => {
      while (!stopped && !ctx.signal.aborted) {
        await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
        if (stopped) return;
        try {
          const r = await httpJson(this.info.url, '/sdapi/v1/progress?skip_current_image=true', {
            timeoutMs: 2000,
          });
          const p = r.body as {
            progress?: number;
            state?: { sampling_step?: number; sampling_steps?: number };
          };
          if (r.status === 200 && p && typeof p.progress === 'number') {
            const total = p.state?.sampling_steps;
            ctx.progress({
              message: total
                ? `step ${p.state?.sampling_step ?? 0}/${total}`
                : `${Math.round(p.progress * 100)} %`,
              done: Math.round(p.progress * 100),
              total: 100,
            });
          }
        } catch {
          // Progress is best effort: the generation call reports real failures.
        }
      }
    };
    void tick();
    return { stop: () => void (stopped = true) };
  }
}
