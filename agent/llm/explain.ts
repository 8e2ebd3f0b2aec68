/**
 * "Explain" on an X-ray result, a study row or an EEG result: a prompt built from the result's
 * structured fields (promptContext.ts, prompts.ts), streamed like a chat answer.
 */
import type { LlmAttachment, LlmExplainParams, LlmExplainResult } from '../protocol';
import type { RunContext } from '../runContext';
import { MedLabError } from '../errors';
import { converse, defaultChatModel } from './chat';
import { resolveHost } from './connection';
import { EXPLAIN_SYSTEM, explainRequest } from './prompts';
import { readJsonFile } from '../files/readJsonFile';
import { loadAttachment } from './promptContext';
import type { EegPrediction } from '../protocol';

export async function explain(
  params: LlmExplainParams,
  ctx: RunContext,
  onText: (text: string) => void,
): Promise<LlmExplainResult> {
  if (!params.target || typeof params.target !== 'object') {
    throw new MedLabError('E_USAGE', 'target must name the result to explain', { field: 'target' });
  }
  const host = resolveHost(params.host);
  const context = await loadAttachment(params.target);
  return converse(
    {
      host,
      model: params.model || defaultChatModel(),
      system: EXPLAIN_SYSTEM,
      messages: [{ role: 'user', content: explainRequest(context.kind, context.facts) }],
      identifiers: context.identifiers,
      numCtx: params.numCtx,
      temperature: 0.2,
      action: 'explaining a result',
    },
    ctx,
    onText,
  );
}

function isEegPrediction(v: unknown): v is EegPrediction {
  const p = v as EegPrediction;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.model === 'string' &&
    Array.isArray(p.labels) &&
    Array.isArray(p.probabilities) &&
    Array.isArray(p.windows) &&
    Array.isArray(p.events)
  );
}

/**
 * What a results file on disk is, as an explain target: a diagnosis run's results.json (row N),
 * a comparison report (case N), or an EEG prediction (with the recording it was made on).
 */
export async function explainTargetOf(
  file: string,
  row: number | undefined,
  recording: string | undefined,
): Promise<LlmAttachment> {
  const json = (await readJsonFile(file, 'E_RESULTS')) as {
    format?: unknown;
    prediction?: unknown;
    recording?: unknown;
  };
  if (json?.format === 'medlab-xray-results') return { kind: 'xray-result', results: file, row: row ?? 0 };
  if (json?.format === 'medlab-llm-compare') {
    return row === undefined ? { kind: 'study', report: file } : { kind: 'study', report: file, row };
  }
  const prediction = isEegPrediction(json)
    ? json
    : isEegPrediction(json?.prediction)
      ? json.prediction
      : undefined;
  if (prediction) {
    const rec = recording ?? (typeof json.recording === 'string' ? json.recording : undefined);
    if (!rec) {
      throw new MedLabError(
        'E_USAGE',
        `${file} is an EEG prediction: give the recording it was made on (--recording)`,
        {
          field: 'recording',
        },
      );
    }
    return { kind: 'eeg-prediction', path: rec, prediction };
  }
  throw new MedLabError(
    'E_RESULTS',
    `${file} is not a MedLab result (a diagnosis results.json, a comparison report or an EEG prediction)`,
    { path: file },
  );
}
