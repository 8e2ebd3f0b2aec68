/** Rows of the Models view: installed models with task and the execution provider in use. */
import type { ExecutionProviderInfo, ModelList, ModelProblem, ModelSummary } from '../../agent/protocol';

export interface ModelRow {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  problem: boolean;
}

const TASK_NAMES: Record<string, string> = {
  'xray-classification': 'X-ray classification',
  'eeg-window-classification': 'EEG window classification',
  'eeg-recording-classification': 'EEG recording classification',
};

export function taskName(task: string): string {
  return TASK_NAMES[task] ?? task;
}

export function providerLabel(ep: ExecutionProviderInfo): string {
  return ep.active === 'cuda' ? 'CUDA (GPU)' : 'CPU';
}

export function providerRow(ep: ExecutionProviderInfo): ModelRow {
  return {
    id: 'execution-provider',
    label: `Execution provider: ${providerLabel(ep)}`,
    description: ep.requested === 'auto' ? 'auto' : `set to ${ep.requested}`,
    tooltip: `${ep.reason}${ep.threads ? `\nthreads: ${ep.threads}` : ''}`,
    problem: ep.requested === 'cuda' && ep.active !== 'cuda',
  };
}

export function modelRow(m: ModelSummary, ep: ExecutionProviderInfo | undefined): ModelRow {
  const parts = [taskName(m.task)];
  if (ep) parts.push(providerLabel(ep));
  if (!m.verified) parts.push('NOT VERIFIED');
  return {
    id: m.id,
    label: m.name,
    description: parts.join(' · '),
    tooltip: [
      `${m.id} ${m.version} (${m.origin === 'install' ? 'bundled' : 'user folder'})`,
      `labels: ${m.labels.join(', ')}`,
      m.hasHeatmaps ? 'heat maps: yes' : 'heat maps: no',
      m.intendedUse,
      m.directory,
    ].join('\n'),
    problem: !m.verified,
  };
}

export function problemRow(p: ModelProblem): ModelRow {
  const folder = p.directory.replace(/\\/g, '/').split('/').pop() ?? p.directory;
  return {
    id: `problem:${p.directory}`,
    label: `${folder} (refused)`,
    description: p.code,
    tooltip: `${p.directory}\n${p.message}${p.field ? `\nfield: ${p.field}` : ''}`,
    problem: true,
  };
}

export function modelRows(list: ModelList, ep: ExecutionProviderInfo | undefined): ModelRow[] {
  const models = [...list.models].sort(
    (a, b) => a.task.localeCompare(b.task) || a.name.localeCompare(b.name),
  );
  return [...models.map((m) => modelRow(m, ep)), ...list.problems.map(problemRow)];
}
