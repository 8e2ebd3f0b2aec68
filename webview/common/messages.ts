/**
 * The envelope every MedLab webview and its panel in the extension exchange. A panel declares a
 * request spec (kind -> params/result) and its event unions; requests carry an id so responses,
 * progress and cancellation find their caller. DOM-free and vscode-free: both sides import it.
 */
import type { ErrorData, ProgressReport } from '../../agent/protocol';

/** kind -> params and result of one panel's requests (webview -> extension). */
export type RequestSpec = Record<string, { params: unknown; result: unknown }>;

export interface RequestMessage<S extends RequestSpec, K extends keyof S & string = keyof S & string> {
  type: 'request';
  id: number;
  kind: K;
  params: S[K]['params'];
}

export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Error shown to the user: the agent's stable code and message, never a stack. */
export interface WebviewError {
  code: string;
  message: string;
  data?: ErrorData;
}

export type ResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: WebviewError };

export interface ProgressMessage {
  type: 'progress';
  id: number;
  report: ProgressReport;
}

/** Messages a webview posts besides requests (each panel adds its own notices). */
export type FromWebview<S extends RequestSpec, N extends { type: string }> =
  RequestMessage<S> | CancelMessage | N;

/** Messages a panel posts besides responses (each panel adds its own events). */
export type ToWebview<E extends { type: string }> = ResponseMessage | ProgressMessage | E;

export function isRequestMessage(
  m: unknown,
): m is { type: 'request'; id: number; kind: string; params: unknown } {
  const r = m as { type?: unknown; id?: unknown; kind?: unknown } | null;
  return !!r && r.type === 'request' && Number.isInteger(r.id) && typeof r.kind === 'string';
}

export function isCancelMessage(m: unknown): m is CancelMessage {
  const r = m as { type?: unknown; id?: unknown } | null;
  return !!r && r.type === 'cancel' && Number.isInteger(r.id);
}
