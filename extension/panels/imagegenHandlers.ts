/**
 * What the illustration webview's requests become: agent calls (imagegen/servers, /generate with
 * progress and cancellation, /save) and the workspace's preset edits. The generated images stay
 * here, so Save writes exactly the PNG the agent returned. Free of `vscode` (unit-tested).
 */
import * as path from 'node:path';
import type { GeneratedImage, ImagegenPreset, ImagegenRequest } from '../../agent/protocol';
import { AgentRequestError, type AgentRequester } from '../agent/client';
import type {
  GenerateParams,
  ImagegenRequests,
  PanelGeneration,
  PanelImage,
} from '../../webview/imagegen/messages';
import { applyEdits, editPreset, resetPreset, type PresetEdits, type PresetView } from './imagegenPresets';
import type { RequestHandlers } from './webviewRouter';

/** The last generation: its images by id, and where each was saved. */
export class IllustrationStore {
  private generation: PanelGeneration | undefined;
  private readonly originals = new Map<string, GeneratedImage>();
  private nextId = 1;

  replace(result: Omit<PanelGeneration, 'images'> & { images: GeneratedImage[] }): PanelGeneration {
    this.originals.clear();
    const images: PanelImage[] = result.images.map((image) => {
      const id = `img-${this.nextId++}`;
      this.originals.set(id, image);
      return { id, png: image.png, metadata: image.metadata };
    });
    this.generation = { server: result.server, images, warnings: result.warnings };
    return this.generation;
  }

  get(id: string): GeneratedImage | undefined {
    return this.originals.get(id);
  }

  markSaved(id: string, savedAs: string): void {
    const image = this.generation?.images.find((i) => i.id === id);
    if (image) image.savedAs = savedAs;
  }

  get last(): PanelGeneration | undefined {
    return this.generation;
  }
}

export interface SaveTarget {
  /** Absolute folder to write into. */
  folder: string;
  /** The workspace folder it belongs to (saved paths are shown relative to it). */
  root: string;
}

export interface ImagegenDeps {
  agent: AgentRequester;
  store: IllustrationStore;
  presets: {
    defaults(): Promise<ImagegenPreset[]>;
    edits(): PresetEdits;
    keep(edits: PresetEdits): Promise<void>;
  };
  /** Where to save; undefined when the user declined to choose. Throws when no folder may be used. */
  saveTarget(): Promise<SaveTarget | undefined>;
}

function usage(kind: string, message: string, field: string): AgentRequestError {
  return new AgentRequestError(`imagegen/${kind}`, 'E_USAGE', message, { code: 'E_USAGE', field });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The agent request built from known fields only (nothing else the webview sent is passed on). */
export function generationRequest(p: GenerateParams): ImagegenRequest {
  const server = str(p?.server)?.trim();
  if (!server) throw usage('generate', 'the image server URL is empty', 'server');
  const prompt = str(p.prompt);
  if (!prompt?.trim()) throw usage('generate', 'the prompt is empty', 'prompt');
  const loras = Array.isArray(p.loras)
    ? p.loras.map((l, i) => {
        const name = str(l?.name);
        const weight = num(l?.weight);
        if (!name || weight === undefined) throw usage('generate', `LoRA ${i + 1} is incomplete`, 'lora');
        return { name, weight };
      })
    : [];
  const req: ImagegenRequest = { server, prompt, loras };
  const negativePrompt = str(p.negativePrompt);
  if (negativePrompt) req.negativePrompt = negativePrompt;
  const model = str(p.model);
  if (model) req.model = model;
  for (const key of ['width', 'height', 'steps', 'cfgScale', 'seed', 'count'] as const) {
    const v = num(p[key]);
    if (v !== undefined) req[key] = v;
  }
  const sampler = str(p.sampler);
  if (sampler) req.sampler = sampler;
  return req;
}

export function imagegenHandlers(deps: ImagegenDeps): RequestHandlers<ImagegenRequests> {
  const presetView = async (edits: PresetEdits): Promise<PresetView> =>
    applyEdits(await deps.presets.defaults(), edits);
  return {
    server: async (p, ctx) => {
      const server = str(p?.server)?.trim();
      if (!server) throw usage('server', 'the image server URL is empty', 'server');
      return deps.agent.request('imagegen/servers', { server }, { signal: ctx.signal });
    },
    generate: async (p, ctx) => {
      const result = await deps.agent.request('imagegen/generate', generationRequest(p), {
        signal: ctx.signal,
        onProgress: ctx.progress,
      });
      return deps.store.replace(result);
    },
    save: async (p) => {
      const image = deps.store.get(str(p?.id) ?? '');
      if (!image)
        throw new AgentRequestError(
          'imagegen/save',
          'E_NOT_FOUND',
          'this image is no longer in the panel: generate it again',
        );
      const target = await deps.saveTarget();
      if (!target) return { saved: null };
      const written = await deps.agent.request('imagegen/save', { image, directory: target.folder });
      const rel = (f: string) => path.relative(target.root, f).split(path.sep).join('/');
      deps.store.markSaved(p.id, rel(written.png));
      return { saved: rel(written.png), sidecar: rel(written.sidecar) };
    },
    savePreset: async (p) => {
      const edits = editPreset(await deps.presets.defaults(), deps.presets.edits(), {
        id: str(p?.id) ?? '',
        prompt: str(p?.prompt) ?? '',
        negativePrompt: str(p?.negativePrompt) ?? '',
      });
      await deps.presets.keep(edits);
      return presetView(edits);
    },
    resetPreset: async (p) => {
      const edits = resetPreset(deps.presets.edits(), str(p?.id) ?? '');
      await deps.presets.keep(edits);
      return presetView(edits);
    },
  };
}
