/**
 * Which image server answers at a URL. Probes, in this order, with short timeouts and only side-
 * effect-free GETs: stable-diffusion.cpp (/sdcpp/v1/capabilities), LocalAI
 * (/.well-known/localai.json), A1111/Forge (/sdapi/v1/sd-models), ComfyUI (/object_info, not
 * supported), then a generic OpenAI-compatible server (/v1/models).
 */
import { MedLabError } from '../errors';
import { isLoopbackUrl, normalizeBaseUrl, remoteHostWarning } from '../net/hostUrl';
import type { ImageServerCapabilities, ImageServerInfo, ImageServerKind } from '../protocol';
import type { ImageServerAdapter } from './adapter';
import { httpJson, type HttpReply } from './http';
import { OpenAiImagesAdapter } from './openaiImages';
import { SdapiAdapter } from './sdapi';

const PROBE_TIMEOUT_MS = 3000;

const CAPABILITIES: Record<ImageServerKind, ImageServerCapabilities> = {
  a1111: {
    negativePrompt: true,
    seed: true,
    seedReported: true,
    progress: true,
    interrupt: true,
    loras: 'prompt-tag',
    modelSelect: true,
    steps: true,
  },
  sdcpp: {
    negativePrompt: true,
    seed: true,
    seedReported: false,
    progress: false,
    interrupt: false,
    loras: 'structured',
    modelSelect: false,
    steps: true,
  },
  localai: {
    negativePrompt: true,
    seed: false,
    seedReported: false,
    progress: false,
    interrupt: false,
    loras: 'prompt-tag',
    modelSelect: true,
    steps: true,
  },
  openai: {
    negativePrompt: false,
    seed: false,
    seedReported: false,
    progress: false,
    interrupt: false,
    loras: 'none',
    modelSelect: true,
    steps: false,
  },
};

const DESCRIPTIONS: Record<ImageServerKind, string> = {
  a1111: 'AUTOMATIC1111 / Forge (sdapi)',
  sdcpp: 'stable-diffusion.cpp sd-server (sdapi)',
  localai: 'LocalAI (OpenAI images API)',
  openai: 'OpenAI-compatible images API',
};

function limitationsOf(c: ImageServerCapabilities): string[] {
  const out: string[] = [];
  if (!c.negativePrompt) out.push('no negative prompt');
  if (!c.seed) out.push('no seed: images cannot be regenerated exactly');
  else if (!c.seedReported) out.push('does not report the seed used (the requested seed is recorded)');
  if (!c.progress) out.push('no progress report');
  if (!c.interrupt) out.push('no server-side interrupt (Cancel closes the request)');
  if (c.loras === 'none') out.push('no LoRA support');
  if (!c.modelSelect) out.push('model fixed when the server starts');
  if (!c.steps) out.push('no step count');
  return out;
}

async function probe(url: string, path: string): Promise<HttpReply | undefined> {
  try {
    return await httpJson(url, path, { timeoutMs: PROBE_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof MedLabError && e.code === 'E_IMAGEGEN_DOWN') throw e;
    return undefined;
  }
}

function names(list: unknown, ...keys: string[]): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => {
      if (typeof item === 'string') return item;
      for (const k of keys) {
        const v = (item as Record<string, unknown>)?.[k];
        if (typeof v === 'string' && v) return v;
      }
      return undefined;
    })
    .filter((s): s is string => !!s);
}

function lorasOf(list: unknown): ImageServerInfo['loras'] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => {
      const o = item as Record<string, unknown>;
      const name = typeof o?.name === 'string' ? o.name : undefined;
      if (!name) return undefined;
      return {
        name,
        ...(typeof o.alias === 'string' && o.alias !== name ? { alias: o.alias } : {}),
        ...(typeof o.path === 'string' ? { path: o.path } : {}),
      };
    })
    .filter((l): l is NonNullable<typeof l> => !!l);
}

function serverInfo(
  url: string,
  kind: ImageServerKind,
  models: string[],
  loras: ImageServerInfo['loras'],
): ImageServerInfo {
  const capabilities = CAPABILITIES[kind];
  const warning = remoteHostWarning(url, 'prompts and generated images');
  return {
    url,
    kind,
    description: DESCRIPTIONS[kind],
    loopback: isLoopbackUrl(url),
    ...(warning ? { warning } : {}),
    models,
    loras,
    capabilities,
    limitations: limitationsOf(capabilities),
  };
}

async function sdapiLists(url: string): Promise<{ models: string[]; loras: ImageServerInfo['loras'] }> {
  const [m, l] = await Promise.all([probe(url, '/sdapi/v1/sd-models'), probe(url, '/sdapi/v1/loras')]);
  return {
    models: m?.status === 200 ? names(m.body, 'title', 'model_name', 'name') : [],
    loras: l?.status === 200 ? lorasOf(l.body) : [],
  };
}

export async function detectServer(rawUrl: string): Promise<ImageServerAdapter> {
  const url = normalizeBaseUrl(rawUrl, 7860, 'image server');
  const caps = await probe(url, '/sdcpp/v1/capabilities');
  if (caps?.status === 200 && caps.body !== undefined) {
    const lists = await sdapiLists(url);
    const c = caps.body as { model?: unknown; loras?: unknown };
    const models = lists.models.length ? lists.models : names([c.model], 'name', 'path');
    const loras = lists.loras.length ? lists.loras : lorasOf(c.loras);
    return new SdapiAdapter(serverInfo(url, 'sdcpp', models, loras));
  }
  const localai = await probe(url, '/.well-known/localai.json');
  if (localai?.status === 200 && localai.body !== undefined) {
    const m = await probe(url, '/v1/models');
    return new OpenAiImagesAdapter(
      serverInfo(url, 'localai', names((m?.body as { data?: unknown })?.data, 'id'), []),
    );
  }
  const sd = await probe(url, '/sdapi/v1/sd-models');
  if (sd?.status === 200 && Array.isArray(sd.body)) {
    const l = await probe(url, '/sdapi/v1/loras');
    return new SdapiAdapter(
      serverInfo(
        url,
        'a1111',
        names(sd.body, 'title', 'model_name'),
        l?.status === 200 ? lorasOf(l.body) : [],
      ),
    );
  }
  const comfy = await probe(url, '/object_info');
  if (comfy?.status === 200 && comfy.body !== undefined) {
    throw new MedLabError(
      'E_IMAGEGEN_NOT_SERVER',
      `${url} is ComfyUI, which MedLab does not drive (it needs a stored workflow graph); run A1111/Forge with --api, stable-diffusion.cpp's sd-server or LocalAI`,
      { path: url },
    );
  }
  const openai = await probe(url, '/v1/models');
  const data = (openai?.body as { data?: unknown } | undefined)?.data;
  if (openai?.status === 200 && Array.isArray(data)) {
    return new OpenAiImagesAdapter(serverInfo(url, 'openai', names(data, 'id'), []));
  }
  const webui = sd?.status === 404 && /<html/i.test(sd.text);
  throw new MedLabError(
    'E_IMAGEGEN_NOT_SERVER',
    webui
      ? `${url} serves a web page but no /sdapi/v1 API: if it is AUTOMATIC1111 or Forge, start it with --api`
      : `${url} answers, but not as an image server (no /sdapi/v1, /sdcpp/v1 or /v1/images API found)`,
    { path: url },
  );
}
