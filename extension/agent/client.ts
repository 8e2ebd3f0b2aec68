/**
 * Typed requests to the agent over a vscode-jsonrpc connection: params and results come from
 * agent/protocol.ts (types only), cancellation from an AbortSignal, progress from `$/progress`,
 * and agent failures arrive as AgentRequestError carrying the protocol's ErrorData.
 */
import { CancellationTokenSource, ProgressType, ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import type {
  ErrorCode,
  ErrorData,
  MethodName,
  ParamsOf,
  ProgressReport,
  ResultOf,
} from '../../agent/protocol';

export interface RequestOptions {
  signal?: AbortSignal;
  /** Receives `$/progress` reports; a progress token is added to the params when set. */
  onProgress?: (report: ProgressReport) => void;
}

/** What panels and views need from the agent; tests can pass any implementation. */
export interface AgentRequester {
  request<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    options?: RequestOptions,
  ): Promise<ResultOf<M>>;
}

/** A failed request: `code` is the protocol's stable error code. */
export class AgentRequestError extends Error {
  constructor(
    readonly method: string,
    readonly code: ErrorCode | 'E_AGENT_UNAVAILABLE',
    message: string,
    readonly data?: ErrorData,
  ) {
    super(message);
    this.name = 'AgentRequestError';
  }
}

const progressType = new ProgressType<ProgressReport>();
let nextProgressToken = 1;

function isErrorData(value: unknown): value is ErrorData {
  return (
    typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Maps whatever the connection threw to an AgentRequestError. */
export function toAgentRequestError(method: string, e: unknown): AgentRequestError {
  if (e instanceof AgentRequestError) return e;
  if (e instanceof ResponseError) {
    const data: unknown = e.data;
    if (isErrorData(data)) return new AgentRequestError(method, data.code, e.message, data);
    // -32800 is JSON-RPC's RequestCancelled.
    if (e.code === -32800) return new AgentRequestError(method, 'E_CANCELLED', 'cancelled');
    return new AgentRequestError(method, 'E_INTERNAL', e.message);
  }
  const message = e instanceof Error ? e.message : String(e);
  // vscode-jsonrpc rejects pending requests this way when the agent dies or is stopped.
  if (/disposed|closed|connection/i.test(message)) {
    return new AgentRequestError(
      method,
      'E_AGENT_UNAVAILABLE',
      `the MedLab agent stopped while handling ${method}`,
    );
  }
  return new AgentRequestError(method, 'E_INTERNAL', message);
}

export async function sendRequest<M extends MethodName>(
  connection: MessageConnection,
  method: M,
  params: ParamsOf<M>,
  options: RequestOptions = {},
): Promise<ResultOf<M>> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AgentRequestError(method, 'E_CANCELLED', 'cancelled');
  const cancel = new CancellationTokenSource();
  const onAbort = (): void => cancel.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let progress: { dispose(): void } | undefined;
  let sent: unknown = params;
  if (onProgress) {
    const token = `medlab-ext-${nextProgressToken++}`;
    progress = connection.onProgress(progressType, token, onProgress);
    sent = { ...params, progressToken: token };
  }
  try {
    return (await connection.sendRequest(method, sent, cancel.token)) as ResultOf<M>;
  } catch (e) {
    throw toAgentRequestError(method, e);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    progress?.dispose();
    cancel.dispose();
  }
}

/** A requester that waits for a running agent before each request. */
export class AgentClient implements AgentRequester {
  constructor(private readonly connect: () => Promise<MessageConnection>) {}

  async request<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    options?: RequestOptions,
  ): Promise<ResultOf<M>> {
    let connection: MessageConnection;
    try {
      connection = await this.connect();
    } catch (e) {
      throw new AgentRequestError(method, 'E_AGENT_UNAVAILABLE', e instanceof Error ? e.message : String(e));
    }
    return sendRequest(connection, method, params, options);
  }
}
