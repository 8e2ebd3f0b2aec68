/**
 * An AgentRequester that answers from a table and records each call, for testing what the
 * extension asks the agent (the params it builds), separately from the agent itself.
 */
import type { MethodName, ParamsOf, ProgressReport, ResultOf } from '../../agent/protocol';
import { AgentRequestError, type AgentRequester, type RequestOptions } from '../../extension/agent/client';

export interface RecordedCall {
  method: MethodName;
  params: unknown;
  hadSignal: boolean;
}

type Answer<M extends MethodName> = (
  params: ParamsOf<M>,
  options: RequestOptions,
) => Promise<ResultOf<M>> | ResultOf<M>;

export class RecordingRequester implements AgentRequester {
  readonly calls: RecordedCall[] = [];
  private readonly answers = new Map<MethodName, Answer<MethodName>>();

  answer<M extends MethodName>(method: M, fn: Answer<M>): this {
    this.answers.set(method, fn as unknown as Answer<MethodName>);
    return this;
  }

  async request<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    options: RequestOptions = {},
  ): Promise<ResultOf<M>> {
    this.calls.push({ method, params, hadSignal: options.signal !== undefined });
    const fn = this.answers.get(method) as Answer<M> | undefined;
    if (!fn) throw new AgentRequestError(method, 'E_NOT_FOUND', `no answer for ${method}`);
    return fn(params, options);
  }
}

export function progressOf(options: RequestOptions, reports: ProgressReport[]): void {
  for (const r of reports) options.onProgress?.(r);
}
