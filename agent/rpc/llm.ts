/** llm/* methods: thin glue to agent/llm (the CLI calls the same functions). */
import { LLM_CHUNK, type LlmChunk } from '../protocol';
import type { RunContext } from '../runContext';
import { chat } from '../llm/chat';
import { resolveHost } from '../llm/connection';
import { explain } from '../llm/explain';
import { listModels, ollamaStatus } from '../llm/models';
import { pullModel } from '../llm/pull';
import type { HandlerTable } from './handler';

/** Streamed text goes to the caller as `llm/chunk` notifications carrying its streamId. */
function chunkSender(streamId: string | undefined, ctx: RunContext): (text: string) => void {
  if (!streamId || !ctx.notify) return () => undefined;
  return (text) => ctx.notify!(LLM_CHUNK, { streamId, text } satisfies LlmChunk);
}

export const llmHandlers: HandlerTable = {
  'llm/status': (p, ctx) => ollamaStatus(resolveHost(p.host), ctx.signal),
  'llm/models': (p, ctx) =>
    listModels(resolveHost(p.host), { details: p.details === true, signal: ctx.signal }),
  'llm/pull': (p, ctx) => pullModel(resolveHost(p.host), p.model, ctx),
  'llm/chat': (p, ctx) => chat(p, ctx, chunkSender(p.streamId, ctx)),
  'llm/explain': (p, ctx) => explain(p, ctx, chunkSender(p.streamId, ctx)),
};
