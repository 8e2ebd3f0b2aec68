/**
 * Downloads a model onto the Ollama server (/api/pull), reporting progress as the sum of
 * completed over the sum of total bytes across layers (each layer is reported by digest).
 * A cancelled pull closes the connection; Ollama keeps the partial layers and resumes.
 */
import type { LlmPullResult } from '../protocol';
import type { RunContext } from '../runContext';
import { MedLabError } from '../errors';
import { createClient } from './client';
import type { OllamaHost } from './connection';
import { toOllamaError } from './ollamaErrors';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]*(:[A-Za-z0-9._-]+)?$/;

export async function pullModel(host: OllamaHost, model: string, ctx: RunContext): Promise<LlmPullResult> {
  if (!MODEL_NAME.test(model)) {
    throw new MedLabError('E_USAGE', `"${model}" is not an Ollama model name (e.g. medgemma:4b)`, {
      field: 'model',
    });
  }
  const client = createClient({ host, signal: ctx.signal });
  const layers = new Map<string, { total: number; completed: number }>();
  let status = '';
  try {
    for await (const part of await client.pull({ model, stream: true })) {
      status = part.status;
      if (part.digest && part.total) {
        const prev = layers.get(part.digest);
        layers.set(part.digest, { total: part.total, completed: part.completed ?? prev?.completed ?? 0 });
      }
      let total = 0;
      let done = 0;
      for (const l of layers.values()) {
        total += l.total;
        done += l.completed;
      }
      ctx.progress(
        total ? { message: `${model}: ${status}`, done, total } : { message: `${model}: ${status}` },
      );
    }
  } catch (e) {
    const err = toOllamaError(e, { host: host.url, model, action: `pulling ${model}`, signal: ctx.signal });
    if (err.code === 'E_OLLAMA' && /file does not exist|manifest unknown|not found/i.test(err.message)) {
      throw new MedLabError(
        'E_OLLAMA_MODEL',
        `the Ollama library has no model "${model}" (check the name and tag, e.g. medgemma:4b)`,
        { field: 'model', detail: { host: host.url, model } },
      );
    }
    throw err;
  }
  let bytes = 0;
  for (const l of layers.values()) bytes += l.total;
  return { model, status, bytes };
}
