/**
 * Which onnxruntime execution provider new sessions use, and why. `auto` tries CUDA only when
 * onnxruntime-node was installed with its CUDA provider; the runtime still falls back to CPU if
 * creating a CUDA session fails, and records that outcome here so `agent/info` tells the truth.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import type { ExecutionProviderInfo } from '../protocol';
import type { ResolvedSettings } from '../settings';

let lastCudaFailure: string | undefined;

/** Called by the runtime when a CUDA session could not be created. */
export function recordCudaFailure(reason: string): void {
  lastCudaFailure = reason;
}

export function cudaProviderLibrary(): string | undefined {
  try {
    const pkgDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
    const lib = path.join(
      pkgDir,
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
      'libonnxruntime_providers_cuda.so',
    );
    return fs.existsSync(lib) ? lib : undefined;
  } catch {
    return undefined;
  }
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

export async function describeExecutionProvider(
  s: Readonly<ResolvedSettings>,
): Promise<ExecutionProviderInfo> {
  const threads = s.threads > 0 ? s.threads : defaultThreads();
  const base = { requested: s.executionProvider, threads };
  if (s.executionProvider === 'cpu') return { ...base, active: 'cpu', reason: 'CPU chosen in settings' };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      ...base,
      active: 'cpu',
      reason: `the CUDA provider of onnxruntime-node exists only for linux-x64`,
    };
  }
  if (!cudaProviderLibrary()) {
    return {
      ...base,
      active: 'cpu',
      reason:
        'onnxruntime-node was installed without its CUDA provider (install with ONNXRUNTIME_NODE_INSTALL=cuda12)',
    };
  }
  if (lastCudaFailure) return { ...base, active: 'cpu', reason: `CUDA session failed: ${lastCudaFailure}` };
  return {
    ...base,
    active: 'cuda',
    reason: 'CUDA provider installed (CUDA 12 + cuDNN 9 libraries needed at run time)',
  };
}
