/**
 * JSON-RPC over a pair of streams: registers every handler of the table, maps cancellation to an
 * AbortSignal and progress to `$/progress`, and turns thrown errors into typed JSON-RPC errors.
 */
import {
  CancellationToken,
  MessageConnection,
  ProgressType,
  ResponseError,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { Readable, Writable } from 'node:stream';
import { AGENT_ERROR, type ErrorData, type ProgressReport } from '../protocol';
import { MedLabError, describeError, isMedLabError } from '../errors';
import type { RunContext } from '../runContext';
import type { HandlerTable } from './handler';

export const progressType = new ProgressType<ProgressReport>();

export function toResponseError(e: unknown): ResponseError<ErrorData> {
  const err = isMedLabError(e) ? e : new MedLabError('E_INTERNAL', describeError(e));
  return new ResponseError<ErrorData>(AGENT_ERROR, err.message, err.data);
}

function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function serve(
  input: Readable,
  output: Writable,
  table: HandlerTable,
  log: (message: string) => void,
): MessageConnection {
  const connection = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  for (const [method, handler] of Object.entries(table)) {
    if (!handler) continue;
    connection.onRequest(method, async (params: unknown, token: CancellationToken) => {
      const progressToken = (params as { progressToken?: string | number } | null)?.progressToken;
      const ctx: RunContext = {
        signal: abortSignalOf(token),
        progress: (report) => {
          if (progressToken !== undefined) void connection.sendProgress(progressType, progressToken, report);
        },
        log,
        notify: (m, p) => void connection.sendNotification(m, p),
      };
      try {
        // The table is keyed by method, so this call is well typed per entry; the cast only
        // erases the correlation TypeScript cannot follow through Object.entries.
        return await (handler as (p: unknown, c: RunContext) => Promise<unknown>)(params ?? {}, ctx);
      } catch (e) {
        if (!isMedLabError(e) || e.code === 'E_INTERNAL') log(`${method} failed: ${describeError(e)}`);
        throw toResponseError(e);
      }
    });
  }
  connection.onRequest((method: string) => {
    throw new ResponseError<ErrorData>(AGENT_ERROR, `unknown method ${method}`, {
      code: 'E_NOT_FOUND',
      field: method,
    });
  });
  connection.listen();
  return connection;
}
