/**
 * The webview side of the panel messaging: typed requests with progress and cancellation, panel
 * events, and the state VS Code keeps while the tab is hidden. acquireVsCodeApi may be called once.
 */
import type { ProgressReport } from '../../agent/protocol';
import type { RequestSpec, ResponseMessage, ProgressMessage, WebviewError } from './messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export class RequestFailed extends Error {
  constructor(readonly error: WebviewError) {
    super(error.message);
    this.name = 'RequestFailed';
  }

  get cancelled(): boolean {
    return this.error.code === 'E_CANCELLED';
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (report: ProgressReport) => void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(e: Error): void;
  onProgress?: (report: ProgressReport) => void;
}

export class PanelConnection<S extends RequestSpec, E extends { type: string }, N extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Set<(event: E) => void>();

  constructor() {
    window.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
  }

  request<K extends keyof S & string>(
    kind: K,
    params: S[K]['params'],
    options: CallOptions = {},
  ): Promise<S[K]['result']> {
    const id = this.nextId++;
    return new Promise<S[K]['result']>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new RequestFailed({ code: 'E_CANCELLED', message: 'cancelled' }));
        return;
      }
      this.pending.set(id, {
        resolve: (r) => resolve(r as S[K]['result']),
        reject,
        onProgress: options.onProgress,
      });
      options.signal?.addEventListener('abort', () => api.postMessage({ type: 'cancel', id }), {
        once: true,
      });
      api.postMessage({ type: 'request', id, kind, params });
    });
  }

  notify(notice: N): void {
    api.postMessage(notice);
  }

  onEvent(handler: (event: E) => void): void {
    this.handlers.add(handler);
  }

  getState<T>(): T | undefined {
    return (api.getState() as T | null) ?? undefined;
  }

  setState<T>(state: T): void {
    api.setState(state);
  }

  private receive(message: unknown): void {
    const m = message as ResponseMessage | ProgressMessage | E;
    if (m.type === 'response') {
      const r = m as ResponseMessage;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(new RequestFailed(r.error));
    } else if (m.type === 'progress') {
      const r = m as ProgressMessage;
      this.pending.get(r.id)?.onProgress?.(r.report);
    } else {
      for (const h of this.handlers) h(m as E);
    }
  }
}
