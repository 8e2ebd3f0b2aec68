/**
 * One generation on Ollama, streamed: chat models through /api/chat, Meditron (a base model)
 * through /api/generate with its authors' one-shot prompt. Every request carries num_ctx; the
 * caller's AbortSignal closes the HTTP connection (Ollama stops generating when it sees that).
 * Streaming is used even when the caller only wants the final text: Node's fetch gives up on
 * response headers after 300 s, which a long non-streamed generation on a CPU exceeds.
 */
import type { ChatRequest, GenerateRequest, Options } from 'ollama';
import { createClient } from './client';
import type { OllamaHost } from './connection';
import type { IdentifierSet } from './identifiers';
import { estimateTokens, wasTruncated } from './contextWindow';
import { MEDITRON_STOP, meditronOneShot } from './meditronPrompt';
import { isMeditron } from './modelNotes';
import { toOllamaError } from './ollamaErrors';

export interface LlmTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Image bytes (PNG/JPEG, already stripped of metadata). */
  images?: Uint8Array[];
}

export interface GenerationRequest {
  host: OllamaHost;
  model: string;
  turns: LlmTurn[];
  numCtx: number;
  temperature?: number;
  seed?: number;
  /** Maximum answer tokens (num_predict). */
  maxTokens?: number;
  /** Structured output: a JSON schema (or "json"). */
  format?: Record<string, unknown> | 'json';
  identifiers?: IdentifierSet;
  /** What this is, for error messages ("chat", "explaining a result", ...). */
  action: string;
}

export interface GenerationOutcome {
  text: string;
  doneReason: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  /** Estimated prompt tokens sent. */
  estimate: number;
  truncated: boolean;
  /** The prompt text of a raw (Meditron) completion; undefined for chat requests. */
  rawPrompt?: string;
}

export function promptEstimate(turns: readonly LlmTurn[]): number {
  return estimateTokens({
    chars: turns.reduce((n, t) => n + t.content.length, 0),
    images: turns.reduce((n, t) => n + (t.images?.length ?? 0), 0),
    messages: turns.length,
  });
}

interface FinalChunk {
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  eval_duration?: number;
}

function outcome(text: string, final: FinalChunk | undefined, estimate: number, numCtx: number) {
  const promptTokens = typeof final?.prompt_eval_count === 'number' ? final.prompt_eval_count : null;
  const outputTokens = typeof final?.eval_count === 'number' ? final.eval_count : null;
  const tokensPerSecond =
    outputTokens !== null && final?.eval_duration ? (outputTokens / final.eval_duration) * 1e9 : null;
  return {
    text,
    doneReason: final?.done_reason ?? null,
    promptTokens,
    outputTokens,
    tokensPerSecond,
    estimate,
    truncated: wasTruncated(estimate, promptTokens, numCtx),
  };
}

export async function runGeneration(
  req: GenerationRequest,
  signal: AbortSignal,
  onText: (text: string) => void = () => undefined,
): Promise<GenerationOutcome> {
  const client = createClient({ host: req.host, signal, identifiers: req.identifiers });
  const options: Partial<Options> = { num_ctx: req.numCtx };
  if (req.temperature !== undefined) options.temperature = req.temperature;
  if (req.seed !== undefined) options.seed = req.seed;
  if (req.maxTokens !== undefined) options.num_predict = req.maxTokens;
  const ctx = { host: req.host.url, model: req.model, action: req.action, signal };
  let text = '';
  let final: FinalChunk | undefined;
  try {
    if (isMeditron(req.model) && !req.turns.some((t) => t.images?.length)) {
      const prompt = meditronOneShot(req.turns);
      const estimate = promptEstimate([{ role: 'user', content: prompt }]);
      const request: GenerateRequest & { stream: true } = {
        model: req.model,
        prompt,
        raw: true,
        stream: true,
        options: { ...options, stop: MEDITRON_STOP },
        ...(req.format ? { format: req.format } : {}),
      };
      for await (const part of await client.generate(request)) {
        if (part.response) {
          text += part.response;
          onText(part.response);
        }
        if (part.done) final = part;
      }
      return { ...outcome(text, final, estimate, req.numCtx), rawPrompt: prompt };
    }
    const estimate = promptEstimate(req.turns);
    const request: ChatRequest & { stream: true } = {
      model: req.model,
      stream: true,
      options,
      messages: req.turns.map((t) => ({
        role: t.role,
        content: t.content,
        ...(t.images?.length ? { images: t.images } : {}),
      })),
      ...(req.format ? { format: req.format } : {}),
    };
    for await (const part of await client.chat(request)) {
      const piece = part.message?.content ?? '';
      if (piece) {
        text += piece;
        onText(piece);
      }
      if (part.done) final = part;
    }
    return outcome(text, final, estimate, req.numCtx);
  } catch (e) {
    throw toOllamaError(e, ctx);
  }
}
