import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { CancellationTokenSource, ProgressType, ResponseError } from 'vscode-jsonrpc/node';
import type { ProgressReport, XrayDiagnoseResult } from '../../agent/protocol';
import { startAgent, type AgentHandle } from '../support/agentProcess';
import { tempDir, writeModelFolder } from '../models/support/modelFolder';
import { classFolders } from './support/dataset';

const MODEL = 'rpc-cam';

describe('models and xray over JSON-RPC', () => {
  let agent: AgentHandle;
  let data: string;
  before(async () => {
    const models = tempDir();
    writeModelFolder(models, { id: MODEL });
    writeModelFolder(models, { id: 'rpc-broken', manifest: { labels: ['only-one'] } });
    data = tempDir('medlab-rpc-');
    await classFolders(data, 30);
    agent = startAgent({ MEDLAB_MODELS: models, MEDLAB_THREADS: '1' });
  });
  after(() => agent.stop());

  it('lists and shows models', async () => {
    const list = await agent.request('models/list', {});
    assert.ok(list.models.some((m) => m.id === MODEL));
    assert.ok(list.problems.some((p) => p.field === 'labels' && p.code === 'E_MODEL_MANIFEST'));
    const show = await agent.request('models/show', { id: MODEL });
    assert.equal(show.manifest.outputs.cam, 'cam');
    assert.deepEqual(
      show.graph.outputs.map((o) => o.name),
      ['probabilities', 'cam', 'features'],
    );
    assert.match(show.card ?? '', /Not for clinical use/);
    await assert.rejects(agent.request('models/show', { id: 'rpc-broken' }), (e: unknown) => {
      assert.ok(e instanceof ResponseError);
      assert.equal((e.data as { code: string; field: string }).field, 'labels');
      return true;
    });
  });

  it('diagnoses a folder with progress, and answers a heat map request', async () => {
    const reports: ProgressReport[] = [];
    const token = 'diag-1';
    const sub = agent.connection.onProgress(new ProgressType<ProgressReport>(), token, (r) => {
      reports.push(r);
    });
    const r = await agent.request('xray/diagnose', { path: data, model: MODEL, progressToken: token });
    sub.dispose();
    assert.equal(r.counts.images, 90);
    assert.equal(r.rows.length, 90);
    assert.ok(r.rows.every((row) => row.prediction === row.label));
    assert.ok(
      reports.some((p) => p.total === 90 && p.done === 90),
      JSON.stringify(reports.slice(-3)),
    );
    assert.ok(fs.existsSync(r.files.json));

    const h = await agent.request('xray/heatmap', {
      path: path.join(data, 'covid', 'img_0000.png'),
      model: MODEL,
      label: 'Pneumonia',
    });
    assert.equal(h.prediction, 'covid');
    assert.equal(h.label, 'pneumonia');
    const meta = await sharp(Buffer.from(h.png, 'base64')).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, h.width);
  });

  it('stops on $/cancelRequest with E_CANCELLED and keeps the finished rows for the next call', async () => {
    const out = tempDir('medlab-rpc-out-');
    const source = new CancellationTokenSource();
    const cache = path.join(out, 'cache.jsonl');
    const poll = setInterval(() => {
      if (fs.existsSync(cache) && fs.readFileSync(cache, 'utf8').split('\n').length > 8) source.cancel();
    }, 2);
    await assert.rejects(
      agent.connection.sendRequest(
        'xray/diagnose',
        { path: data, model: MODEL, out, batchSize: 1 },
        source.token,
      ),
      (e: unknown) => e instanceof ResponseError && (e.data as { code: string }).code === 'E_CANCELLED',
    );
    clearInterval(poll);
    const partial = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as {
      complete: boolean;
      rows: unknown[];
    };
    assert.equal(partial.complete, false);
    assert.ok(partial.rows.length < 90);
    const resumed: XrayDiagnoseResult = await agent.request('xray/diagnose', {
      path: data,
      model: MODEL,
      out,
    });
    assert.equal(resumed.counts.images, 90);
    assert.ok(resumed.counts.cached >= partial.rows.length);
  });
});
