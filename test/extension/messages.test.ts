import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { EegPrediction, EegWindow, ModelList } from '../../agent/protocol';
import { AgentClient, AgentRequestError, sendRequest } from '../../extension/agent/client';
import { eegViewerHandlers, openRecording } from '../../extension/editors/eegViewerHandlers';
import { WebviewRouter } from '../../extension/panels/webviewRouter';
import type { EegViewerRequests } from '../../webview/eeg-viewer/messages';
import { startAgent } from '../support/agentProcess';
import { requireSharedData } from '../support/sharedData';
import { progressOf, RecordingRequester } from './recordingRequester';

/** Collects what the router posts back to the webview. */
function webview() {
  const posted: {
    type: string;
    id?: number;
    ok?: boolean;
    result?: unknown;
    error?: { code: string; message: string };
    report?: unknown;
  }[] = [];
  const responded = (id: number) =>
    new Promise<(typeof posted)[number]>((resolve) => {
      const poll = () => {
        const r = posted.find((m) => m.type === 'response' && m.id === id);
        if (r) resolve(r);
        else setTimeout(poll, 2);
      };
      poll();
    });
  return { posted, post: (m: unknown) => posted.push(m as (typeof posted)[number]), responded };
}

const emptyWindow: EegWindow = {
  start: 0,
  duration: 10,
  decimated: true,
  channels: [],
  annotations: [],
  gaps: [],
};

describe('extension: EEG viewer message handling', () => {
  it('turns a page request into eeg/window on the editor’s file, never a path from the webview', async () => {
    const agent = new RecordingRequester().answer('eeg/window', () => emptyWindow);
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(
      eegViewerHandlers(agent, { path: '/data/rec.edf' }),
      w.post,
    );
    const params = {
      start: 20,
      duration: 10,
      montage: { kind: 'bipolar' as const },
      filters: { highpass: 0.5, lowpass: 70, notch: 50 as const },
      columns: 1400,
      path: '/etc/passwd',
    };
    assert.equal(router.handle({ type: 'request', id: 7, kind: 'window', params }), true);
    const res = await w.responded(7);
    assert.equal(res.ok, true);
    assert.deepEqual(res.result, emptyWindow);
    assert.deepEqual(agent.calls[0], {
      method: 'eeg/window',
      params: {
        path: '/data/rec.edf',
        start: 20,
        duration: 10,
        channels: undefined,
        montage: { kind: 'bipolar' },
        filters: { highpass: 0.5, lowpass: 70, notch: 50 },
        columns: 1400,
      },
      hadSignal: true,
    });
  });

  it('refuses pages that would read the whole file or make no sense, naming the field', async () => {
    const agent = new RecordingRequester().answer('eeg/window', () => emptyWindow);
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(eegViewerHandlers(agent, { path: '/r.edf' }), w.post);
    const base = {
      start: 0,
      duration: 10,
      montage: { kind: 'referential' as const },
      filters: {},
      columns: 1000,
    };
    router.handle({ type: 'request', id: 1, kind: 'window', params: { ...base, duration: 1e7 } });
    router.handle({ type: 'request', id: 2, kind: 'window', params: { ...base, columns: 0.5 } });
    router.handle({ type: 'request', id: 3, kind: 'window', params: { ...base, start: -1 } });
    const errors = await Promise.all([1, 2, 3].map(w.responded));
    assert.deepEqual(
      errors.map((e) => [e.ok, e.error?.code]),
      [
        [false, 'E_USAGE'],
        [false, 'E_USAGE'],
        [false, 'E_USAGE'],
      ],
    );
    assert.match(errors[0].error!.message, /duration/);
    assert.equal(agent.calls.length, 0, 'nothing reached the agent');
  });

  it('asks a restarted agent again when the agent died under a page request', async () => {
    let calls = 0;
    const agent = new RecordingRequester().answer('eeg/window', () => {
      if (++calls === 1)
        throw new AgentRequestError('eeg/window', 'E_AGENT_UNAVAILABLE', 'the MedLab agent stopped');
      return emptyWindow;
    });
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(eegViewerHandlers(agent, { path: '/r.edf' }), w.post);
    const params = {
      start: 0,
      duration: 10,
      montage: { kind: 'referential' as const },
      filters: {},
      columns: 800,
    };
    router.handle({ type: 'request', id: 1, kind: 'window', params });
    assert.equal((await w.responded(1)).ok, true);
    assert.equal(agent.calls.length, 2);
    // Other failures are not retried.
    const failing = new RecordingRequester().answer('eeg/window', () => {
      throw new AgentRequestError('eeg/window', 'E_EEG_RANGE', 'past the end');
    });
    const router2 = new WebviewRouter<EegViewerRequests>(
      eegViewerHandlers(failing, { path: '/r.edf' }),
      w.post,
    );
    router2.handle({ type: 'request', id: 2, kind: 'window', params });
    assert.equal((await w.responded(2)).error?.code, 'E_EEG_RANGE');
    assert.equal(failing.calls.length, 1);
  });

  it('answers unknown kinds and non-requests without throwing', async () => {
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(
      eegViewerHandlers(new RecordingRequester(), { path: '/r.edf' }),
      w.post,
    );
    assert.equal(router.handle({ type: 'ready' }), false);
    assert.equal(router.handle(null), false);
    router.handle({ type: 'request', id: 9, kind: 'rm -rf', params: {} });
    const res = await w.responded(9);
    assert.equal(res.error?.code, 'E_USAGE');
  });

  it('relays progress, stores the prediction for the next webview, and cancels on request', async () => {
    const prediction = { model: 'm', labels: ['a', 'b'] } as EegPrediction;
    let aborted = false;
    const agent = new RecordingRequester().answer('eeg/predict', (_p, options) => {
      progressOf(options, [{ done: 1, total: 4, message: 'window 1' }]);
      return new Promise<EegPrediction>((resolve, reject) => {
        const t = setTimeout(() => resolve(prediction), 30);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          aborted = true;
          reject(new AgentRequestError('eeg/predict', 'E_CANCELLED', 'cancelled'));
        });
      });
    });
    const session = { path: '/r.edf' } as { path: string; prediction?: EegPrediction };
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(eegViewerHandlers(agent, session), w.post);
    router.handle({ type: 'request', id: 1, kind: 'predict', params: { model: 'm' } });
    const ok = await w.responded(1);
    assert.equal(ok.ok, true);
    assert.deepEqual(
      w.posted.find((m) => m.type === 'progress'),
      { type: 'progress', id: 1, report: { done: 1, total: 4, message: 'window 1' } },
    );
    assert.equal(session.prediction, prediction);

    router.handle({ type: 'request', id: 2, kind: 'predict', params: { model: 'm' } });
    router.handle({ type: 'cancel', id: 2 });
    const cancelled = await w.responded(2);
    assert.equal(cancelled.error?.code, 'E_CANCELLED');
    assert.equal(aborted, true);
    assert.equal(router.inFlight, 0);
  });

  it('offers only EEG models', async () => {
    const summary = (id: string, task: string) => ({ id, task }) as ModelList['models'][number];
    const list: ModelList = {
      directories: [],
      problems: [],
      models: [summary('x', 'xray-classification'), summary('e', 'eeg-window-classification')],
    };
    const agent = new RecordingRequester().answer('models/list', () => list);
    const w = webview();
    const router = new WebviewRouter<EegViewerRequests>(eegViewerHandlers(agent, { path: '/r.edf' }), w.post);
    router.handle({ type: 'request', id: 1, kind: 'models', params: {} });
    const res = await w.responded(1);
    assert.deepEqual(
      (res.result as { id: string }[]).map((m) => m.id),
      ['e'],
    );
  });

  it('aborts what is running when the panel closes', async () => {
    let signal: AbortSignal | undefined;
    const agent = new RecordingRequester().answer('eeg/spectrum', (_p, o) => {
      signal = o.signal;
      return new Promise(() => undefined);
    });
    const router = new WebviewRouter<EegViewerRequests>(
      eegViewerHandlers(agent, { path: '/r.edf' }),
      () => undefined,
    );
    router.handle({
      type: 'request',
      id: 1,
      kind: 'spectrum',
      params: { start: 0, duration: 10, montage: { kind: 'referential' }, filters: {} },
    });
    await new Promise((r) => setTimeout(r, 5));
    router.dispose();
    assert.equal(signal?.aborted, true);
  });
});

describe('extension: agent client against the real agent', function () {
  this.timeout(60_000);
  let agent: ReturnType<typeof startAgent>;
  before(() => (agent = startAgent()));
  after(() => agent.stop());

  it('opens a recording for the viewer: header and annotations in one round trip each', async function () {
    const file = requireSharedData(this, 'eeg', 'synthetic', 'syn_1020_alpha_artefacts.edf');
    const client = new AgentClient(async () => agent.connection);
    const { recording, annotations } = await openRecording(client, file);
    assert.equal(recording.signals.length, 19);
    assert.equal(recording.duration, 60);
    assert.ok(annotations.some((a) => a.text === 'Blink' && a.onset === 31.25));
    assert.equal(path.basename(recording.path), 'syn_1020_alpha_artefacts.edf');
  });

  it('maps agent failures to typed errors with the stable code and the offending path', async function () {
    const file = requireSharedData(this, 'eeg', 'synthetic', 'bad_ns_zero.edf');
    await assert.rejects(
      sendRequest(agent.connection, 'eeg/open', { path: file }),
      (e: AgentRequestError) => {
        assert.ok(e instanceof AgentRequestError);
        assert.equal(e.code, 'E_EDF_HEADER');
        assert.equal(e.method, 'eeg/open');
        assert.equal(e.data?.path, file);
        return true;
      },
    );
    await assert.rejects(
      sendRequest(agent.connection, 'eeg/open', { path: '/nonexistent/x.edf' }),
      (e: AgentRequestError) => e.code === 'E_NOT_FOUND',
    );
  });

  it('does not send a request whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      sendRequest(agent.connection, 'agent/ping', {}, { signal: controller.signal }),
      (e: AgentRequestError) => e.code === 'E_CANCELLED',
    );
  });
});
