/**
 * Context-window arithmetic. Ollama silently drops the front of a prompt that does not fit
 * `num_ctx` and still answers 200 (ollama/ollama#3839, #8099); so MedLab always sends num_ctx,
 * estimates what it sends, and compares with the server's `prompt_eval_count` afterwards.
 */

/** Default num_ctx when neither the call nor the settings give one. */
export const DEFAULT_NUM_CTX = 8192;
/** Tokens kept free for the answer when fitting a prompt. */
export const ANSWER_RESERVE = 768;
/** Gemma-3-class vision encoders spend 256 tokens per image (MedGemma model card). */
export const TOKENS_PER_IMAGE = 256;

export interface PromptSize {
  chars: number;
  images: number;
  messages: number;
}

/** About 4 characters per token for English text, plus per-image and per-message overhead. */
export function estimateTokens(size: PromptSize): number {
  return Math.ceil(size.chars / 4) + size.images * TOKENS_PER_IMAGE + size.messages * 8;
}

/** The num_ctx to ask for: what was asked (or the default), never above the model's maximum. */
export function chooseNumCtx(requested: number | undefined, modelMax: number | null): number {
  const want = requested && requested > 0 ? Math.round(requested) : DEFAULT_NUM_CTX;
  return modelMax ? Math.min(want, modelMax) : want;
}

/**
 * Did the server cut the prompt? When it truncates it keeps about num_ctx/2 tokens, so
 * prompt_eval_count lands between a quarter and ~0.6 of num_ctx while the prompt was estimated
 * well above half of it. The lower bound keeps a cached conversation prefix (where the server
 * evaluates only the new message) from reading as truncation.
 */
export function wasTruncated(estimate: number, promptEvalCount: number | null, numCtx: number): boolean {
  if (promptEvalCount === null || !(promptEvalCount > 0)) return false;
  return (
    estimate > 0.5 * numCtx &&
    promptEvalCount >= 0.25 * numCtx &&
    promptEvalCount <= 0.6 * numCtx &&
    promptEvalCount < 0.7 * estimate
  );
}

export function truncationWarning(estimate: number, promptEvalCount: number, numCtx: number): string {
  return (
    `The server cut the prompt: it read ${promptEvalCount} tokens of about ${estimate} sent ` +
    `(context window ${numCtx}). This answer did not see all of the context; raise medlab.ollama.numCtx ` +
    `or shorten the conversation.`
  );
}
