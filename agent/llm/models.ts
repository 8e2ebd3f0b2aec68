/**
 * The server and its models: is Ollama running (/api/version), what is installed (/api/tags),
 * and what a model can do (/api/show: capabilities, maximum context).
 */
import type { LlmHost, LlmModel, LlmModels, LlmStatus } from '../protocol';
import { MedLabError, isMedLabError } from '../errors';
import { createClient, METADATA_TIMEOUT_MS } from './client';
import type { OllamaHost } from './connection';
import { modelNotice } from './modelNotes';
import { toOllamaError } from './ollamaErrors';

export function hostInfo(host: OllamaHost): LlmHost {
  return host.warning ? { url: host.url, loopback: host.loopback, warning: host.warning } : host;
}

/** Never throws for a server that is down: `running` is false and `message` says why. */
export async function ollamaStatus(host: OllamaHost, signal?: AbortSignal): Promise<LlmStatus> {
  const client = createClient({ host, signal, timeoutMs: METADATA_TIMEOUT_MS });
  try {
    const { version } = await client.version();
    const where = host.loopback ? 'on this machine' : 'on another machine (data leaves this computer)';
    return {
      host: hostInfo(host),
      running: true,
      version,
      message: `Ollama ${version} at ${host.url}, ${where}`,
    };
  } catch (e) {
    const err = toOllamaError(e, { host: host.url, action: 'checking the server', signal });
    if (err.code === 'E_CANCELLED') throw err;
    return { host: hostInfo(host), running: false, version: null, message: err.message };
  }
}

export interface ModelFacts {
  name: string;
  /** null when the server does not report capabilities (older Ollama). */
  capabilities: string[] | null;
  contextLength: number | null;
  family: string | null;
}

/** /api/show: capabilities and the maximum context. Throws E_OLLAMA_MODEL when not pulled. */
export async function showModel(host: OllamaHost, model: string, signal?: AbortSignal): Promise<ModelFacts> {
  const client = createClient({ host, signal, timeoutMs: METADATA_TIMEOUT_MS });
  try {
    const show = await client.show({ model });
    const info = (show.model_info ?? {}) as unknown as Record<string, unknown>;
    const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
    const lengthKey = arch
      ? `${arch}.context_length`
      : Object.keys(info).find((k) => k.endsWith('.context_length'));
    const length = lengthKey ? info[lengthKey] : undefined;
    return {
      name: model,
      capabilities: Array.isArray(show.capabilities) ? show.capabilities.map(String) : null,
      contextLength: typeof length === 'number' && length > 0 ? length : null,
      family: show.details?.family ?? null,
    };
  } catch (e) {
    throw toOllamaError(e, { host: host.url, model, action: `reading model ${model}`, signal });
  }
}

/**
 * Refuses before sending when the server says the model lacks a capability (e.g. "vision" for
 * an image). Servers that do not report capabilities are let through.
 */
export function requireCapability(
  facts: ModelFacts,
  capability: string,
  host: OllamaHost,
  why: string,
): void {
  if (facts.capabilities === null || facts.capabilities.includes(capability)) return;
  const has = facts.capabilities.length ? facts.capabilities.join(', ') : 'none listed';
  throw new MedLabError(
    'E_OLLAMA_CAPABILITY',
    `model "${facts.name}" cannot ${why}: Ollama at ${host.url} lists its capabilities as ${has}, without "${capability}". ` +
      (capability === 'vision' ? 'Choose a vision model such as medgemma:4b.' : ''),
    { field: 'model', detail: { model: facts.name, capability } },
  );
}

export async function listModels(
  host: OllamaHost,
  options: { details?: boolean; signal?: AbortSignal } = {},
): Promise<LlmModels> {
  const client = createClient({ host, signal: options.signal, timeoutMs: METADATA_TIMEOUT_MS });
  let tags;
  try {
    tags = await client.list();
  } catch (e) {
    throw toOllamaError(e, { host: host.url, action: 'listing models', signal: options.signal });
  }
  const models: LlmModel[] = [];
  for (const m of tags.models ?? []) {
    let facts: ModelFacts | undefined;
    if (options.details) {
      try {
        facts = await showModel(host, m.name, options.signal);
      } catch (e) {
        if (isMedLabError(e) && e.code === 'E_CANCELLED') throw e;
      }
    }
    const notice = modelNotice(m.name);
    models.push({
      name: m.name,
      size: m.size,
      digest: m.digest,
      family: m.details?.family ?? null,
      parameterSize: m.details?.parameter_size ?? null,
      quantization: m.details?.quantization_level ?? null,
      capabilities: facts?.capabilities ?? null,
      contextLength: facts?.contextLength ?? null,
      ...(notice ? { notice } : {}),
    });
  }
  models.sort((a, b) => a.name.localeCompare(b.name));
  return { host: hostInfo(host), models };
}
