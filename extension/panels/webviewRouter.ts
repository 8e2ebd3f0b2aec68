/**
 * The extension side of a webview's requests: dispatches each `request` to the panel's typed
 * handler, answers with a response (errors as code + message), relays progress, and aborts the
 * handler's signal on `cancel` or when the panel goes away. Free of `vscode` for unit tests.
 */
import type { ProgressReport } from '../../agent/protocol';
import { AgentRequestError } from '../agent/client';
import {
  isCancelMessage,
  isRequestMessage,
  type RequestSpec,
  type WebviewError,
} from '../../webview/common/messages';

export interface RequestContext {
  signal: AbortSignal;
  progress(report: ProgressReport): void;
}

export type RequestHandlers<S extends RequestSpec> = {
  [K in keyof S]: (params: S[K]['params'], ctx: RequestContext) => Promise<S[K]['result']>;
};

export function toWebviewError(e: unknown): WebviewError {
  if (e instanceof AgentRequestError) return { code: e.code, message: e.message, data: e.data };
  if (e instanceof Error && e.name === 'AbortError') return { code: 'E_CANCELLED', message: 'cancelled' };
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export class WebviewRouter<S extends RequestSpec> {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly handlers: RequestHandlers<S>,
    private readonly post: (message: unknown) => void,
  ) {}

  /** Handles a message from the webview; returns false when it is not a request or cancel. */
  handle(message: unknown): boolean {
    if (isCancelMessage(message)) {
      this.running.get(message.id)?.abort();
      return true;
    }
    if (!isRequestMessage(message)) return false;
    const { id, kind, params } = message;
    if (!Object.prototype.hasOwnProperty.call(this.handlers, kind)) {
      this.post({
        type: 'response',
        id,
        ok: false,
        error: { code: 'E_USAGE', message: `unknown request ${kind}` },
      });
      return true;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    const handler = this.handlers[kind as keyof S] as (p: unknown, c: RequestContext) => Promise<unknown>;
    const ctx: RequestContext = {
      signal: controller.signal,
      progress: (report) => this.post({ type: 'progress', id, report }),
    };
    void (async () => {
      try {
        const result = await handler(params, ctx);
        this.post({ type: 'response', id, ok: true, result });
      } catch (e) {
        this.post({ type: 'response', id, ok: false, error: toWebviewError(e) });
      } finally {
        this.running.delete(id);
      }
    })();
    return true;
  }

  /** Requests still running (for tests and for status). */
  get inFlight(): number {
    return this.running.size;
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
