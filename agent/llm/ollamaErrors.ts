/**
 * Everything that can go wrong talking to Ollama, said the way a user can act on it:
 * E_OLLAMA_DOWN (nothing listening / no answer), E_OLLAMA_MODEL (not pulled), E_OLLAMA_CAPABILITY
 * (e.g. an image for a text-only model), E_OLLAMA_CONTEXT (prompt too long), E_OLLAMA (the rest).
 * Inputs are what the `ollama` client and Node's fetch throw (see notes/ollama.md §2).
 */
import { MedLabError, cancelledError, isMedLabError } from '../errors';

export interface OllamaCallContext {
  /** Normalised base URL. */
  host: string;
  model?: string;
  /** What was being done, for the message: "listing models", "chat", ... */
  action: string;
  signal?: AbortSignal;
}

const CONTEXT_ERROR = /context|too long|exceeds? (the )?max|input length|num_ctx/i;
const CAPABILITY_ERROR =
  /does not support|not support(ed)? (images|vision|generate|chat)|no vision|image input/i;

function networkCode(e: unknown): string | undefined {
  const cause = (e as { cause?: unknown })?.cause as
    { code?: string; errors?: { code?: string }[]; name?: string } | undefined;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (cause?.name === 'SocketError' ? 'SOCKET' : undefined);
}

export function notRunning(host: string, why: string): MedLabError {
  return new MedLabError(
    'E_OLLAMA_DOWN',
    `Ollama is not running at ${host} (${why}). Start it with "ollama serve", or set medlab.ollama.host / --host to where it runs.`,
    { field: 'ollama.host', detail: { host } },
  );
}

export function modelNotPulled(host: string, model: string): MedLabError {
  return new MedLabError(
    'E_OLLAMA_MODEL',
    `model "${model}" is not pulled on the Ollama server at ${host}. Pull it with "medlab llm pull ${model}" (or "Pull" in the MedLab chat).`,
    { field: 'model', detail: { host, model } },
  );
}

/** Maps any failure of an Ollama call to a MedLabError. MedLabErrors pass through unchanged. */
export function toOllamaError(e: unknown, ctx: OllamaCallContext): MedLabError {
  if (isMedLabError(e)) return e;
  const err = e as { name?: string; message?: string; status_code?: number };
  const message = err?.message ?? String(e);
  if (ctx.signal?.aborted || err?.name === 'AbortError') return cancelledError(ctx.action);
  if (err?.name === 'TimeoutError') {
    return new MedLabError(
      'E_OLLAMA_DOWN',
      `Ollama at ${ctx.host} did not answer in time while ${ctx.action}; is the server overloaded or hung?`,
      { field: 'ollama.host', detail: { host: ctx.host } },
    );
  }
  if (err?.name === 'ResponseError' && typeof err.status_code === 'number') {
    const status = err.status_code;
    if (status === 404 && ctx.model && /not found|no such model|pull/i.test(message)) {
      return modelNotPulled(ctx.host, ctx.model);
    }
    if (status === 404) {
      return new MedLabError(
        'E_OLLAMA_DOWN',
        `${ctx.host} answered 404 while ${ctx.action}: is this an Ollama server (check medlab.ollama.host)?`,
        { field: 'ollama.host', detail: { host: ctx.host, status } },
      );
    }
    if (CONTEXT_ERROR.test(message) && status === 400) {
      return new MedLabError(
        'E_OLLAMA_CONTEXT',
        `the prompt does not fit the context window of ${ctx.model ?? 'the model'}: ${message}`,
        { field: 'num_ctx', detail: { host: ctx.host, status } },
      );
    }
    if (CAPABILITY_ERROR.test(message)) {
      return new MedLabError(
        'E_OLLAMA_CAPABILITY',
        `${ctx.model ?? 'the model'} cannot do this: ${message}`,
        {
          field: 'model',
          detail: { host: ctx.host, status },
        },
      );
    }
    if (status === 503) {
      return new MedLabError(
        'E_OLLAMA',
        `Ollama at ${ctx.host} is busy (503: ${message}); try again when its current requests finish`,
        { detail: { host: ctx.host, status } },
      );
    }
    return new MedLabError(
      'E_OLLAMA',
      `Ollama at ${ctx.host} refused ${ctx.action} (${status}): ${message}`,
      {
        detail: { host: ctx.host, status },
      },
    );
  }
  const code = networkCode(e);
  if (code === 'ECONNREFUSED') return notRunning(ctx.host, 'connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return notRunning(ctx.host, 'host name not found');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
    return notRunning(ctx.host, 'host unreachable');
  }
  const undiciTerminated = err?.name === 'TypeError' && message === 'terminated';
  if (code === 'SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || undiciTerminated) {
    return new MedLabError(
      'E_OLLAMA',
      `the connection to Ollama at ${ctx.host} closed before the answer was complete (${ctx.action})`,
      { detail: { host: ctx.host } },
    );
  }
  if (/Did not receive done or success response in stream/.test(message)) {
    return new MedLabError(
      'E_OLLAMA',
      `the answer from Ollama at ${ctx.host} ended before it was complete (${ctx.action}); the server may have crashed or been stopped`,
      { detail: { host: ctx.host } },
    );
  }
  if (err?.name === 'TypeError' && /fetch failed/.test(message)) return notRunning(ctx.host, message);
  // A `{"error": ...}` line inside a 200 stream: the client throws a plain Error with the text.
  if (CONTEXT_ERROR.test(message)) {
    return new MedLabError('E_OLLAMA_CONTEXT', `Ollama stopped: ${message}`, { detail: { host: ctx.host } });
  }
  return new MedLabError('E_OLLAMA', `Ollama at ${ctx.host} failed while ${ctx.action}: ${message}`, {
    detail: { host: ctx.host },
  });
}
