/**
 * The `ollama` npm client with MedLab's fetch underneath. The injected fetch fixes what the
 * client gets wrong for us (notes/ollama.md §2):
 * - cancellation: the caller's AbortSignal reaches every request, streamed or not, so Stop and
 *   Ctrl-C close the HTTP connection (Ollama then stops generating);
 * - deadlines for calls that should answer at once (version, tags, show);
 * - error bodies are re-served as clean `{"error": text}` JSON so the client never
 *   `console.log`s (stdout of the CLI) on its way to the ResponseError;
 * - the privacy gate: every request body is checked for patient identifiers before it is sent.
 */
import { Ollama } from 'ollama';
import type { OllamaHost } from './connection';
import type { IdentifierSet } from './identifiers';
import { assertBodyHasNoIdentifiers } from './deidentify';

export interface ClientOptions {
  host: OllamaHost;
  signal?: AbortSignal;
  /** Deadline per request in ms; only for calls that return at once (not for streams). */
  timeoutMs?: number;
  /** Identifiers of the material this call is about, besides those remembered for the session. */
  identifiers?: IdentifierSet;
}

/** Milliseconds a metadata call (version, tags, show) may take. */
export const METADATA_TIMEOUT_MS = 10_000;

export function createClient(options: ClientOptions): Ollama {
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body === 'string') assertBodyHasNoIdentifiers(init.body, options.identifiers);
    const signals: AbortSignal[] = [];
    if (init?.signal) signals.push(init.signal);
    if (options.signal) signals.push(options.signal);
    if (options.timeoutMs) signals.push(AbortSignal.timeout(options.timeoutMs));
    const response = await fetch(input, {
      ...init,
      signal: signals.length ? AbortSignal.any(signals) : undefined,
    });
    if (response.ok) return response;
    // Re-serve every error body as clean JSON: the client logs to stdout on anything else.
    const text = (await response.text()).trim();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === 'string') message = parsed.error;
    } catch {
      // not JSON: keep the text
    }
    return new Response(
      JSON.stringify({ error: message || response.statusText || `HTTP ${response.status}` }),
      {
        status: response.status,
        statusText: response.statusText,
        headers: { 'content-type': 'application/json' },
      },
    );
  };
  return new Ollama({ host: options.host.url, fetch: guardedFetch });
}
