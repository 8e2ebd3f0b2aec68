/** JSON over HTTP to an image server, with timeouts, cancellation and errors that say which server. */
import { MedLabError } from '../errors';

export interface HttpReply {
  status: number;
  body: unknown;
  text: string;
}

export interface HttpOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
  /** No answer within this time is an error (default 10 s; generation calls pass their own). */
  timeoutMs?: number;
}

function networkCause(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code;
}

export async function httpJson(baseUrl: string, path: string, opts: HttpOptions = {}): Promise<HttpReply> {
  const url = baseUrl + path;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers: opts.body !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal,
    });
  } catch (e) {
    if (opts.signal?.aborted) throw new MedLabError('E_CANCELLED', 'image generation was cancelled');
    if (timeout.aborted) {
      throw new MedLabError(
        'E_IMAGEGEN_DOWN',
        `the image server at ${baseUrl} did not answer ${path} in time`,
        {
          path: url,
        },
      );
    }
    const code = networkCause(e);
    throw new MedLabError(
      'E_IMAGEGEN_DOWN',
      `no image server is running at ${baseUrl}${code ? ` (${code})` : ''}: start it (e.g. A1111/Forge with --api, or sd-server) or change medlab.imagegen.server`,
      { path: baseUrl },
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    if (opts.signal?.aborted) throw new MedLabError('E_CANCELLED', 'image generation was cancelled');
    throw new MedLabError(
      'E_IMAGEGEN',
      `the image server at ${baseUrl} broke off its answer to ${path}: ${String(e)}`,
    );
  }
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (an HTML page, say): callers decide what that means.
  }
  return { status: res.status, body, text };
}

/** The server's own error text from a JSON error body ({error}, {detail}, {message}) or the raw text. */
export function serverMessage(reply: HttpReply): string {
  const b = reply.body as { error?: unknown; detail?: unknown; message?: unknown } | undefined;
  const pick = b?.error ?? b?.detail ?? b?.message;
  if (typeof pick === 'string') return pick;
  if (pick && typeof pick === 'object') {
    const m = (pick as { message?: unknown }).message;
    if (typeof m === 'string') return m;
    return JSON.stringify(pick);
  }
  return reply.text.slice(0, 200);
}
