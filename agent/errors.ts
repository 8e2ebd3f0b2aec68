/**
 * Typed errors of the agent. Every failure a user can cause carries a stable code and names
 * what was wrong and where (path, field, byte offset), so the CLI, the RPC layer and the UI
 * can all say it in one line.
 */
import type { ErrorCode, ErrorData } from './protocol';

export class MedLabError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorData;

  constructor(code: ErrorCode, message: string, where: Omit<ErrorData, 'code'> = {}) {
    super(message);
    this.name = 'MedLabError';
    this.code = code;
    this.data = { code, ...where };
  }
}

export function isMedLabError(e: unknown): e is MedLabError {
  return e instanceof MedLabError;
}

/** Raised when an AbortSignal fires; long jobs throw it so partial results can be kept by the caller. */
export function cancelledError(what = 'operation'): MedLabError {
  return new MedLabError('E_CANCELLED', `${what} was cancelled`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** One line for a person: the message plus where, if the message does not already say it. */
export function describeError(e: unknown): string {
  if (isMedLabError(e)) {
    const where: string[] = [];
    const d = e.data;
    if (d.path && !e.message.includes(d.path)) where.push(d.path);
    if (d.field && !e.message.includes(d.field)) where.push(`field ${d.field}`);
    if (d.offset !== undefined && !e.message.includes(`byte ${d.offset}`)) where.push(`byte ${d.offset}`);
    return where.length ? `${e.message} (${where.join(', ')})` : e.message;
  }
  if (e instanceof Error) {
    const sys = e as NodeJS.ErrnoException;
    if (sys.code && sys.path) return `${sys.code}: ${e.message}`;
    return e.message;
  }
  return String(e);
}

/** Wraps a Node fs error (ENOENT, EACCES, EISDIR...) into a MedLabError that names the path. */
export function fromFsError(e: unknown, path: string): MedLabError {
  if (isMedLabError(e)) return e;
  const sys = e as NodeJS.ErrnoException;
  if (sys?.code === 'ENOENT') return new MedLabError('E_NOT_FOUND', `no such file: ${path}`, { path });
  if (sys?.code === 'EISDIR') return new MedLabError('E_IO', `is a directory, not a file: ${path}`, { path });
  if (sys?.code === 'EACCES') return new MedLabError('E_IO', `permission denied: ${path}`, { path });
  return new MedLabError('E_IO', `${path}: ${sys?.message ?? String(e)}`, { path });
}
