/**
 * The agent's live settings (from `agent/configure`, CLI flags or environment). One place so
 * every room reads the same values.
 */
import * as path from 'node:path';
import type { AgentSettings } from './protocol';

export interface ResolvedSettings {
  /** Extra user models directory (setting medlab.models.directory / --models). */
  modelsDirectory: string | undefined;
  executionProvider: 'auto' | 'cuda' | 'cpu';
  /** 0 = onnxruntime's default. */
  threads: number;
  ollamaHost: string;
  /** Base URL of the local image server (A1111/Forge, stable-diffusion.cpp, LocalAI). */
  imagegenServer: string;
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_IMAGEGEN_SERVER = 'http://127.0.0.1:7860';

/** The repository / install root (models/ and samples/ live here). */
// agent/settings.ts in the sources, dist/*.js when bundled: both one level below the root.
export const INSTALL_ROOT = path.resolve(__dirname, '..');

let current: ResolvedSettings = fromEnvironment();

function fromEnvironment(): ResolvedSettings {
  const ep = process.env.MEDLAB_EXECUTION_PROVIDER;
  return {
    modelsDirectory: process.env.MEDLAB_MODELS || undefined,
    executionProvider: ep === 'cuda' || ep === 'cpu' ? ep : 'auto',
    threads: Number(process.env.MEDLAB_THREADS) || 0,
    ollamaHost: process.env.OLLAMA_HOST || DEFAULT_OLLAMA_HOST,
    imagegenServer: process.env.MEDLAB_IMAGEGEN_SERVER || DEFAULT_IMAGEGEN_SERVER,
  };
}

export function settings(): Readonly<ResolvedSettings> {
  return current;
}

export function configure(update: AgentSettings): Readonly<ResolvedSettings> {
  current = {
    modelsDirectory:
      update.modelsDirectory !== undefined ? update.modelsDirectory || undefined : current.modelsDirectory,
    executionProvider: update.executionProvider ?? current.executionProvider,
    threads: update.threads ?? current.threads,
    ollamaHost: update.ollamaHost || current.ollamaHost,
    imagegenServer: update.imagegenServer || current.imagegenServer,
  };
  return current;
}
