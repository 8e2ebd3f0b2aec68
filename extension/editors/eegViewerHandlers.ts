/**
 * What the EEG viewer's requests become: typed agent calls on the document's recording. The
 * webview never names a file; the path comes from the editor. Free of `vscode` (unit-tested).
 */
import type { EegAnnotation, EegPrediction, EegRecordingInfo } from '../../agent/protocol';
import { AgentRequestError, type AgentRequester } from '../agent/client';
import type { RequestHandlers } from '../panels/webviewRouter';
import type {
  EegViewerRequests,
  ViewerSpectrumParams,
  ViewerWindowParams,
} from '../../webview/eeg-viewer/messages';

/** What one open recording keeps across its webviews (a hidden tab's webview is rebuilt). */
export interface EegSession {
  path: string;
  /** The last model output computed in this editor, shown again when the tab returns. */
  prediction?: EegPrediction;
}

const MAX_PAGE_SECONDS = 3600;
const MAX_COLUMNS = 8192;

function usage(kind: string, message: string, field: string): AgentRequestError {
  return new AgentRequestError(`viewer/${kind}`, 'E_USAGE', message, { code: 'E_USAGE', field });
}

function checkRange(kind: string, p: { start: unknown; duration: unknown }): void {
  if (typeof p.start !== 'number' || !Number.isFinite(p.start) || p.start < 0) {
    throw usage(kind, 'start must be a number of seconds >= 0', 'start');
  }
  if (typeof p.duration !== 'number' || !(p.duration > 0) || p.duration > MAX_PAGE_SECONDS) {
    throw usage(kind, `duration must be between 0 and ${MAX_PAGE_SECONDS} s`, 'duration');
  }
}

export function checkWindowParams(p: ViewerWindowParams): void {
  checkRange('window', p);
  if (!Number.isInteger(p.columns) || p.columns < 1 || p.columns > MAX_COLUMNS) {
    throw usage('window', `columns must be an integer from 1 to ${MAX_COLUMNS}`, 'columns');
  }
}

/**
 * Reads are idempotent: when the agent died under one (it is restarted), ask the new agent once
 * more instead of showing the user an error for a page.
 */
async function retriedOnRestart<T>(read: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (signal.aborted || !(e instanceof AgentRequestError) || e.code !== 'E_AGENT_UNAVAILABLE') throw e;
    return read();
  }
}

export function eegViewerHandlers(
  agent: AgentRequester,
  session: EegSession,
): RequestHandlers<EegViewerRequests> {
  const analysis = (p: ViewerSpectrumParams) => ({
    path: session.path,
    start: p.start,
    duration: p.duration,
    channels: p.channels,
    montage: p.montage,
    filters: p.filters,
  });
  return {
    window: async (p, ctx) => {
      checkWindowParams(p);
      return retriedOnRestart(
        () => agent.request('eeg/window', { ...analysis(p), columns: p.columns }, { signal: ctx.signal }),
        ctx.signal,
      );
    },
    spectrum: async (p, ctx) => {
      checkRange('spectrum', p);
      return retriedOnRestart(
        () => agent.request('eeg/spectrum', analysis(p), { signal: ctx.signal }),
        ctx.signal,
      );
    },
    bands: async (p, ctx) => {
      checkRange('bands', p);
      return retriedOnRestart(
        () => agent.request('eeg/bands', analysis(p), { signal: ctx.signal }),
        ctx.signal,
      );
    },
    models: async (_p, ctx) => {
      const list = await agent.request('models/list', {}, { signal: ctx.signal });
      return list.models.filter((m) => m.task.startsWith('eeg'));
    },
    predict: async (p, ctx) => {
      if (typeof p.model !== 'string' || p.model === '') throw usage('predict', 'choose a model', 'model');
      const prediction = await agent.request(
        'eeg/predict',
        { path: session.path, model: p.model },
        { signal: ctx.signal, onProgress: ctx.progress },
      );
      session.prediction = prediction;
      return prediction;
    },
  };
}

/** Header and annotations for the viewer's first message (both are small reads). */
export async function openRecording(
  agent: AgentRequester,
  path: string,
): Promise<{ recording: EegRecordingInfo; annotations: EegAnnotation[] }> {
  const [recording, { annotations }] = await Promise.all([
    agent.request('eeg/open', { path }),
    agent.request('eeg/annotations', { path }),
  ]);
  return { recording, annotations };
}
