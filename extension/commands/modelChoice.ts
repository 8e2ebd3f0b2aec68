/** Which model a diagnosis uses: the setting, the only one installed, or the user's pick. Pure. */
import type { ModelSummary } from '../../agent/protocol';

export type ModelChoice =
  { kind: 'use'; id: string } | { kind: 'pick'; models: ModelSummary[] } | { kind: 'none'; message: string };

export function chooseModel(models: readonly ModelSummary[], task: string, preferred: string): ModelChoice {
  const fit = models.filter((m) => m.task === task);
  if (preferred) {
    if (fit.some((m) => m.id === preferred)) return { kind: 'use', id: preferred };
    // A set but missing default is reported rather than silently replaced.
    return {
      kind: 'none',
      message: `The model "${preferred}" (setting medlab.xray.defaultModel) is not installed. Installed: ${fit.map((m) => m.id).join(', ') || 'none'}.`,
    };
  }
  if (fit.length === 0)
    return { kind: 'none', message: `No ${task} model is installed (see the MedLab Models view).` };
  if (fit.length === 1) return { kind: 'use', id: fit[0].id };
  return { kind: 'pick', models: fit };
}
