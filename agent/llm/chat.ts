/**
 * Chat with a local medical model: the conversation plus what the user attached (facts read by
 * the agent, see promptContext.ts), fitted into the context window, streamed piece by piece.
 * Stopping is the caller's AbortSignal (the HTTP connection closes, Ollama stops generating).
 */
import type { LlmAttachment, LlmChatParams, LlmChatResult, LlmMessage } from '../protocol';
import type { RunContext } from '../runContext';
import { MedLabError } from '../errors';
import { resolveHost, type OllamaHost } from './connection';
import { ANSWER_RESERVE, chooseNumCtx, estimateTokens, truncationWarning } from './contextWindow';
import { assertNoIdentifiers } from './deidentify';
import { runGeneration, promptEstimate, type LlmTurn } from './generation';
import { IdentifierSet } from './identifiers';
import { meditronOneShot } from './meditronPrompt';
import { hostInfo, requireCapability, showModel } from './models';
import { isMeditron, modelNotice } from './modelNotes';
import { CHAT_SYSTEM } from './prompts';
import { loadAttachment } from './promptContext';

/** The chat model when neither the call nor the settings name one. */
export const DEFAULT_CHAT_MODEL = 'medgemma:4b';

export function defaultChatModel(): string {
  return process.env.MEDLAB_CHAT_MODEL || DEFAULT_CHAT_MODEL;
}

export function checkMessages(messages: unknown): LlmMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new MedLabError('E_USAGE', 'messages must be a non-empty list', { field: 'messages' });
  }
  messages.forEach((m: { role?: unknown; content?: unknown }, i) => {
    if ((m?.role !== 'user' && m?.role !== 'assistant') || typeof m.content !== 'string') {
      throw new MedLabError(
        'E_USAGE',
        `messages[${i}] must be {role: "user" | "assistant", content: string}`,
        {
          field: `messages[${i}]`,
        },
      );
    }
  });
  if ((messages.at(-1) as LlmMessage).role !== 'user') {
    throw new MedLabError('E_USAGE', "the last message must be the user's", { field: 'messages' });
  }
  return messages as LlmMessage[];
}

function estimateFor(model: string, turns: readonly LlmTurn[]): number {
  if (!isMeditron(model)) return promptEstimate(turns);
  return estimateTokens({ chars: meditronOneShot(turns).length, images: 0, messages: 1 });
}

/**
 * Drops the oldest turns of the conversation until the prompt fits num_ctx with room for the
 * answer; the system turn and the last message always stay.
 */
export function fitConversation(
  model: string,
  system: LlmTurn,
  messages: readonly LlmMessage[],
  numCtx: number,
): { turns: LlmTurn[]; dropped: number; estimate: number } {
  const reserve = Math.min(ANSWER_RESERVE, Math.floor(numCtx / 4));
  let kept = [...messages];
  let dropped = 0;
  for (;;) {
    const turns: LlmTurn[] = [system, ...kept];
    const estimate = estimateFor(model, turns);
    if (estimate + reserve <= numCtx) return { turns, dropped, estimate };
    if (kept.length <= 1) {
      throw new MedLabError(
        'E_OLLAMA_CONTEXT',
        `the message and attached context (about ${estimate} tokens) do not fit the context window of ` +
          `${numCtx} tokens with room for an answer; shorten the message, attach less, or raise medlab.ollama.numCtx`,
        { field: 'num_ctx', detail: { estimate, numCtx } },
      );
    }
    // Drop a user/assistant pair at a time so the conversation still alternates.
    const n = kept.length > 2 && kept[0].role === 'user' && kept[1].role === 'assistant' ? 2 : 1;
    kept = kept.slice(n);
    dropped += n;
  }
}

export interface Conversation {
  host: OllamaHost;
  model: string;
  system: string;
  messages: LlmMessage[];
  identifiers: IdentifierSet;
  numCtx?: number;
  temperature?: number;
  seed?: number;
  action: string;
}

/** Runs one model turn of a conversation; shared by chat and explain. */
export async function converse(
  c: Conversation,
  ctx: RunContext,
  onText: (text: string) => void,
): Promise<LlmChatResult & { prompt: string }> {
  const facts = await showModel(c.host, c.model, ctx.signal);
  requireCapability(facts, 'completion', c.host, 'generate text');
  const numCtx = chooseNumCtx(c.numCtx, facts.contextLength);
  const { turns, dropped } = fitConversation(
    c.model,
    { role: 'system', content: c.system },
    c.messages,
    numCtx,
  );
  // Checked here for a clear message before anything is sent; the HTTP layer checks again.
  assertNoIdentifiers(turns, c.identifiers);
  const out = await runGeneration(
    {
      host: c.host,
      model: c.model,
      turns,
      numCtx,
      temperature: c.temperature,
      seed: c.seed,
      identifiers: c.identifiers,
      action: c.action,
    },
    ctx.signal,
    onText,
  );
  const warnings: string[] = [];
  if (c.host.warning) warnings.push(c.host.warning);
  const notice = modelNotice(c.model);
  if (notice) warnings.push(notice);
  if (dropped) {
    warnings.push(
      `${dropped} earlier message(s) were left out to fit the context window (${numCtx} tokens).`,
    );
  }
  if (out.truncated && out.promptTokens !== null) {
    warnings.push(truncationWarning(out.estimate, out.promptTokens, numCtx));
  }
  if (out.doneReason === 'length') warnings.push('The answer stopped at the output length limit.');
  const prompt = out.rawPrompt ?? turns.map((t) => `[${t.role}]\n${t.content}`).join('\n\n');
  return {
    model: c.model,
    host: hostInfo(c.host),
    text: out.text,
    doneReason: out.doneReason,
    promptTokens: out.promptTokens,
    outputTokens: out.outputTokens,
    tokensPerSecond: out.tokensPerSecond,
    numCtx,
    truncated: out.truncated,
    warnings,
    prompt,
  };
}

/** Facts of every attachment, and their identifiers. */
export async function attachmentContext(
  attachments: readonly LlmAttachment[] | undefined,
): Promise<{ text: string; identifiers: IdentifierSet }> {
  const identifiers = new IdentifierSet();
  const blocks: string[] = [];
  for (const a of attachments ?? []) {
    const ctx = await loadAttachment(a);
    identifiers.addAll(ctx.identifiers);
    blocks.push(ctx.facts);
  }
  return { text: blocks.join('\n\n'), identifiers };
}

export async function chat(
  params: LlmChatParams,
  ctx: RunContext,
  onText: (text: string) => void,
): Promise<LlmChatResult> {
  const messages = checkMessages(params.messages);
  const host = resolveHost(params.host);
  const attached = await attachmentContext(params.attachments);
  const system = attached.text
    ? `${CHAT_SYSTEM}\n\nAttached context from MedLab:\n${attached.text}`
    : CHAT_SYSTEM;
  const { prompt: _prompt, ...result } = await converse(
    {
      host,
      model: params.model || defaultChatModel(),
      system,
      messages,
      identifiers: attached.identifiers,
      numCtx: params.numCtx,
      temperature: params.temperature,
      seed: params.seed,
      action: 'chat',
    },
    ctx,
    onText,
  );
  return result;
}
