/**
 * What a long-running agent function receives besides its parameters: a cancellation signal
 * and a progress sink. The RPC layer maps `$/cancelRequest` and `$/progress` onto these; the
 * CLI maps Ctrl-C and a stderr progress line. Agent functions never know which one calls them.
 */
import type { ProgressReport } from './protocol';

export interface RunContext {
  readonly signal: AbortSignal;
  progress(report: ProgressReport): void;
  /** Diagnostics for the log (stderr in the agent, stderr in the CLI). Never patient data. */
  log(message: string): void;
  /**
   * Sends a notification to the caller while the request runs (e.g. `llm/chunk` streamed text);
   * absent where there is no RPC peer (the CLI prints instead).
   */
  notify?(method: string, params: object): void;
}

export function silentContext(signal: AbortSignal = new AbortController().signal): RunContext {
  return { signal, progress: () => undefined, log: () => undefined };
}
