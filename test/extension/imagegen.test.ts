import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectServer } from '../../agent/imagegen/detect';
import { metadataFromPng, regenerationRequest } from '../../agent/imagegen/metadata';
import {
  GENERATED_IMAGE_LABEL,
  type IllustrationMetadata,
  type ImagegenPreset,
  type ImageServerInfo,
  type ProgressReport,
} from '../../agent/protocol';
import { AgentClient } from '../../extension/agent/client';
import {
  datasetHolding,
  defaultIllustrationFolder,
  folderProblem,
} from '../../extension/panels/illustrationFolder';
import {
  generationRequest,
  IllustrationStore,
  imagegenHandlers,
  type SaveTarget,
} from '../../extension/panels/imagegenHandlers';
import {
  applyEdits,
  editPreset,
  parseEdits,
  resetPreset,
  type PresetEdits,
} from '../../extension/panels/imagegenPresets';
import { WebviewRouter } from '../../extension/panels/webviewRouter';
import { agentSettingsOf, readSettings, SETTING_KEYS } from '../../extension/settings';
import {
  DEFAULT_FORM,
  describeFailure,
  fieldHints,
  formFromRequest,
  loraRows,
  modelOptions,
  overallProgress,
  readForm,
  seedCaption,
  type FormValues,
} from '../../webview/imagegen/formModel';
import type { WebviewError } from '../../webview/common/messages';
import type { ImagegenRequests, PanelGeneration } from '../../webview/imagegen/messages';
import { startAgent } from '../support/agentProcess';
import { startImageServerDouble, type ImageServerDouble } from '../support/imageServerDouble';

const form = (over: Partial<FormValues> = {}): FormValues => ({
  ...DEFAULT_FORM,
  server: 'http://127.0.0.1:7860',
  prompt: 'brain waves',
  ...over,
});

describe('extension: illustration form', () => {
  it('turns the typed form into a request, leaving ranges to the agent', () => {
    const r = readForm(
      form({
        negativePrompt: '  text, watermark ',
        model: 'sdxl',
        loras: [
          { name: 'brainwave-style', weight: '0.8', on: true },
          { name: 'unused', weight: '1', on: false },
        ],
        width: '768',
        height: '512',
        steps: '20',
        seed: '42',
        count: '3',
      }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.params, {
      server: 'http://127.0.0.1:7860',
      prompt: 'brain waves',
      negativePrompt: 'text, watermark',
      model: 'sdxl',
      loras: [{ name: 'brainwave-style', weight: 0.8 }],
      width: 768,
      height: 512,
      steps: 20,
      count: 3,
      seed: 42,
    });
    const random = readForm(form({ seed: ' ' }));
    assert.ok(random.ok && !('seed' in random.params) && !('model' in random.params));
    // A size the server may refuse still goes out: the agent (or the server) says why.
    const big = readForm(form({ width: '4096' }));
    assert.ok(big.ok && big.params.width === 4096);
  });

  it('names the field that is not a number, or the missing prompt and server', () => {
    const cases: [Partial<FormValues>, string, RegExp][] = [
      [{ prompt: '   ' }, 'prompt', /prompt/],
      [{ server: '' }, 'server', /server URL/],
      [{ width: '1024px' }, 'width', /width must be a whole number; got "1024px"/],
      [{ steps: '2.5' }, 'steps', /steps/],
      [{ count: '' }, 'count', /count/],
      [{ seed: 'abc' }, 'seed', /seed must be a whole number, or empty/],
      [{ loras: [{ name: 'x', weight: 'heavy', on: true }] }, 'loras', /weight of LoRA "x"/],
    ];
    for (const [over, field, message] of cases) {
      const r = readForm(form(over));
      assert.ok(!r.ok, JSON.stringify(over));
      assert.equal(r.field, field);
      assert.match(r.message, message);
    }
  });

  it('fills the form from a saved figure so that it asks for the same image again', () => {
    const metadata: IllustrationMetadata = {
      generator: 'medlab',
      label: GENERATED_IMAGE_LABEL,
      serverKind: 'a1111',
      serverUrl: 'http://127.0.0.1:7861',
      model: 'sd_xl_base_1.0.safetensors [31e35c80fc]',
      prompt: 'EEG cap',
      negativePrompt: 'text',
      loras: [{ name: 'brainwave-style', weight: 0.7 }],
      seed: 987654,
      seedSource: 'reported',
      width: 832,
      height: 1216,
      steps: 25,
      cfgScale: 7,
      sampler: null,
      createdAt: '2026-01-02T03:04:05.000Z',
    };
    const request = regenerationRequest(metadata);
    const filled = formFromRequest(request, 'http://127.0.0.1:7860');
    assert.equal(filled.server, 'http://127.0.0.1:7861');
    assert.equal(filled.count, '1');
    const read = readForm(filled);
    assert.ok(read.ok);
    const { cfgScale: _cfg, ...expected } = request;
    assert.deepEqual(read.params, expected);
  });

  it('keeps a wanted model or LoRA the server lacks visible, marked as not installed', () => {
    const info = {
      models: ['a.safetensors'],
      loras: [{ name: 'brainwave-style', alias: 'brainwave' }],
    } as ImageServerInfo;
    assert.deepEqual(
      modelOptions(info, 'b.safetensors').map((o) => o.label),
      ['(the model the server has loaded)', 'a.safetensors', 'b.safetensors (not installed on this server)'],
    );
    assert.equal(modelOptions(info, 'a.safetensors').length, 2);
    const rows = loraRows(info, [
      { name: 'brainwave', weight: '0.5', on: true },
      { name: 'ghost', weight: '1', on: true },
      { name: 'off-and-missing', weight: '1', on: false },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.name, r.on, r.weight, r.installed]),
      [
        ['brainwave-style', true, '0.5', true],
        ['ghost', true, '1', false],
      ],
    );
    assert.equal(rows[1].detail, 'not installed on this server');
  });

  it('reports progress over all images, from steps within one and counts between them', () => {
    const seq: ProgressReport[] = [
      { message: 'image 1/2: generating', done: 0, total: 2 },
      { message: 'image 1/2: step 15/30', done: 50, total: 100 },
      { message: 'image 2/2: generating', done: 1, total: 2 },
      { message: 'image 2/2: step 30/30', done: 100, total: 100 },
      { message: 'done', done: 2, total: 2 },
    ];
    assert.deepEqual(
      seq.map((r) => overallProgress(r)),
      [0, 0.25, 0.5, 1, 1],
    );
    assert.equal(overallProgress({ message: 'step 3/30', done: 10, total: 100 }), 0.1);
    assert.equal(overallProgress({ message: 'generating' }), undefined);
  });

  it('gives each failure a title the user understands and the field to mark', () => {
    const f = (code: string, field?: string) =>
      describeFailure({
        code,
        message: 'm',
        ...(field ? { data: { code: code as 'E_USAGE', field } } : {}),
      });
    assert.deepEqual(f('E_IMAGEGEN_DOWN'), {
      title: 'Image server not reachable',
      text: 'm',
      field: 'server',
    });
    assert.equal(f('E_IMAGEGEN_NOT_SERVER').title, 'Not an image server (wrong URL?)');
    assert.equal(f('E_IMAGEGEN_MODEL', 'lora').field, 'loras');
    assert.equal(f('E_IMAGEGEN_MODEL', 'model').field, 'model');
    assert.deepEqual(f('E_IMAGEGEN_SIZE', 'height'), { title: 'Size refused', text: 'm', field: 'height' });
    assert.equal(f('E_USAGE', 'image server').field, 'server');
    assert.equal(f('E_CANCELLED').title, 'Cancelled');
    assert.equal(f('E_IMAGEGEN').title, 'Generation failed (E_IMAGEGEN)');
  });
});

describe('extension: what each image server cannot do, said in the panel', () => {
  const doubles: ImageServerDouble[] = [];
  after(async () => {
    while (doubles.length) await doubles.pop()!.close();
  });
  async function info(kind: 'a1111' | 'sdcpp' | 'localai' | 'openai'): Promise<ImageServerInfo> {
    const d = await startImageServerDouble({ kind });
    doubles.push(d);
    return (await detectServer(d.url)).info;
  }

  it('shows a hint beside each field the detected server will not honour', async () => {
    assert.deepEqual(fieldHints(await info('a1111')), {});
    const sdcpp = fieldHints(await info('sdcpp'));
    assert.deepEqual(Object.keys(sdcpp).sort(), ['model', 'seed']);
    assert.match(sdcpp.seed!, /does not report the seed/);
    const localai = fieldHints(await info('localai'));
    assert.match(localai.seed!, /takes no seed/);
    assert.equal(localai.negative, undefined);
    const openai = fieldHints(await info('openai'));
    assert.deepEqual(Object.keys(openai).sort(), ['loras', 'negative', 'seed', 'steps']);
    assert.match(openai.negative!, /will not be sent/);
  });

  it('captions the seed by how it is known', () => {
    const m = { seed: 5, seedSource: 'reported' } as Parameters<typeof seedCaption>[0];
    assert.equal(seedCaption(m), 'seed 5');
    assert.match(seedCaption({ ...m, seedSource: 'requested' }), /as sent; the server does not report it/);
    assert.match(seedCaption({ ...m, seed: null, seedSource: 'unknown' }), /seed unknown/);
  });
});

describe('extension: illustration presets per workspace', () => {
  const defaults: ImagegenPreset[] = [
    { id: 'eeg', title: 'EEG', prompt: 'eeg cap', negativePrompt: 'text' },
    { id: 'waves', title: 'Brain waves', prompt: 'waves', negativePrompt: 'text' },
  ];

  it('keeps only the differences, and forgets an edit back to the default', () => {
    let edits: PresetEdits = {};
    edits = editPreset(defaults, edits, {
      id: 'eeg',
      prompt: ' eeg cap, watercolour ',
      negativePrompt: 'text',
    });
    assert.deepEqual(edits, { eeg: { prompt: 'eeg cap, watercolour', negativePrompt: 'text' } });
    const view = applyEdits(defaults, edits);
    assert.deepEqual(view.edited, ['eeg']);
    assert.equal(view.presets[0].prompt, 'eeg cap, watercolour');
    assert.equal(view.presets[1].prompt, 'waves');
    assert.deepEqual(
      editPreset(defaults, edits, { id: 'eeg', prompt: 'eeg cap', negativePrompt: 'text' }),
      {},
    );
    assert.deepEqual(resetPreset(edits, 'eeg'), {});
    assert.equal(defaults[0].prompt, 'eeg cap', 'defaults untouched');
  });

  it('refuses an unknown preset or an empty prompt, and ignores stored junk', () => {
    assert.throws(
      () => editPreset(defaults, {}, { id: 'nope', prompt: 'x', negativePrompt: '' }),
      /no preset "nope"/,
    );
    assert.throws(
      () => editPreset(defaults, {}, { id: 'eeg', prompt: '  ', negativePrompt: '' }),
      /needs a prompt/,
    );
    assert.deepEqual(
      parseEdits({ eeg: { prompt: 'p', negativePrompt: 'n' }, bad: { prompt: 3 }, worse: null }),
      {
        eeg: { prompt: 'p', negativePrompt: 'n' },
      },
    );
    assert.deepEqual(parseEdits('garbage'), {});
  });
});

describe('extension: where illustrations are saved', () => {
  it('uses illustrations/ at the workspace root when the root is not a dataset', () => {
    const ws = '/lab/ws';
    const folder = defaultIllustrationFolder(ws);
    assert.equal(folder, '/lab/ws/illustrations');
    const images = [
      '/lab/ws/xray/covid/1.png',
      '/lab/ws/xray/normal/2.png',
      '/lab/ws/illustrations/old-seed1.png',
    ];
    assert.equal(datasetHolding(folder, images, [], [ws]), undefined);
    assert.equal(folderProblem(folder, undefined), undefined);
  });

  it('refuses a folder inside an X-ray dataset (class folders or labels.csv)', () => {
    const ws = '/lab/chest';
    const folder = defaultIllustrationFolder(ws);
    const classes = ['/lab/chest/covid/1.png', '/lab/chest/normal/2.png'];
    assert.equal(datasetHolding(folder, classes, [], [ws]), '/lab/chest');
    assert.match(folderProblem(folder, '/lab/chest')!, /inside the X-ray dataset \/lab\/chest/);
    const labelled = ['/lab/ws/set/img/a.png'];
    assert.equal(
      datasetHolding('/lab/ws/set/figs', labelled, ['/lab/ws/set/labels.csv'], ['/lab/ws']),
      '/lab/ws/set',
    );
    // Earlier illustrations alone do not make the workspace a dataset.
    assert.equal(datasetHolding(folder, ['/lab/chest/illustrations/a-seed1.png'], [], [ws]), undefined);
    assert.equal(
      datasetHolding('C:\\lab\\ws\\illustrations', ['C:\\lab\\ws\\x\\c\\1.png'], [], ['C:\\lab\\ws']),
      undefined,
    );
  });
});

describe('extension: illustration panel requests through the real agent', function () {
  this.timeout(60_000);
  let agent: ReturnType<typeof startAgent>;
  let server: ImageServerDouble;
  let out: string;
  const doubles: ImageServerDouble[] = [];
  const presetStore: { edits: PresetEdits } = { edits: {} };

  before(async () => {
    agent = startAgent();
    server = await startImageServerDouble({ kind: 'a1111', generationMs: 1500, maxSize: 1024 });
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-imagegen-panel-'));
  });
  after(async () => {
    await agent.stop();
    await server.close();
    while (doubles.length) await doubles.pop()!.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  function panel(
    saveTarget: () => Promise<SaveTarget | undefined> = async () => ({
      folder: path.join(out, 'illustrations'),
      root: out,
    }),
  ) {
    const client = new AgentClient(async () => agent.connection);
    const store = new IllustrationStore();
    const posted: {
      type: string;
      id?: number;
      ok?: boolean;
      result?: unknown;
      error?: WebviewError;
      report?: ProgressReport;
    }[] = [];
    const router = new WebviewRouter<ImagegenRequests>(
      imagegenHandlers({
        agent: client,
        store,
        presets: {
          defaults: async () => (await client.request('imagegen/presets', {})).presets,
          edits: () => presetStore.edits,
          keep: async (e) => void (presetStore.edits = e),
        },
        saveTarget,
      }),
      (m) => posted.push(m as (typeof posted)[number]),
    );
    let next = 1;
    const call = <K extends keyof ImagegenRequests & string>(
      kind: K,
      params: ImagegenRequests[K]['params'],
    ) => {
      const id = next++;
      router.handle({ type: 'request', id, kind, params });
      return {
        id,
        response: () =>
          new Promise<(typeof posted)[number]>((resolve) => {
            const poll = () => {
              const r = posted.find((m) => m.type === 'response' && m.id === id);
              if (r) resolve(r);
              else setTimeout(poll, 5);
            };
            poll();
          }),
        progress: () => posted.filter((m) => m.type === 'progress' && m.id === id).map((m) => m.report!),
      };
    };
    return { router, store, call, cancel: (id: number) => router.handle({ type: 'cancel', id }) };
  }

  it('lists the server kind, models and LoRAs', async () => {
    const p = panel();
    const r = await p.call('server', { server: server.url }).response();
    assert.equal(r.ok, true);
    const info = r.result as ImageServerInfo;
    assert.equal(info.kind, 'a1111');
    assert.deepEqual(info.models, ['sd_xl_base_1.0.safetensors [31e35c80fc]']);
    assert.equal(info.loras[0].name, 'brainwave-style');
    assert.equal(info.warning, undefined);
  });

  it('generates two seeds side by side with progress, each labelled, and saves one with its provenance', async () => {
    const p = panel();
    const params = readForm(
      form({
        server: server.url,
        prompt: 'illustration of brain waves',
        negativePrompt: 'text',
        loras: [{ name: 'brainwave-style', weight: '0.6', on: true }],
        width: '512',
        height: '512',
        steps: '20',
        seed: '1000',
        count: '2',
      }),
    );
    assert.ok(params.ok);
    const call = p.call('generate', params.params);
    const r = await call.response();
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const g = r.result as PanelGeneration;
    assert.equal(g.images.length, 2);
    assert.deepEqual(
      g.images.map((i) => [i.metadata.seed, i.metadata.seedSource, i.metadata.label]),
      [
        [1000, 'reported', GENERATED_IMAGE_LABEL],
        [1001, 'reported', GENERATED_IMAGE_LABEL],
      ],
    );
    assert.notEqual(g.images[0].id, g.images[1].id);
    const steps = call.progress().filter((m) => /step \d+\/20/.test(m.message ?? ''));
    assert.ok(steps.length >= 2, `step progress relayed: ${JSON.stringify(call.progress())}`);
    const txt2img = server.requests.filter((q) => q.path === '/sdapi/v1/txt2img');
    assert.match((txt2img.at(-1)!.body as { prompt: string }).prompt, /<lora:brainwave-style:0.6>/);

    const saved = await p.call('save', { id: g.images[1].id }).response();
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const res = saved.result as { saved: string; sidecar: string };
    assert.match(res.saved, /^illustrations\/illustration-of-brain-waves-seed1001\.png$/);
    const png = fs.readFileSync(path.join(out, res.saved));
    const embedded = metadataFromPng(png, res.saved);
    const sidecar = JSON.parse(fs.readFileSync(path.join(out, res.sidecar), 'utf8'));
    for (const m of [embedded, sidecar]) {
      assert.equal(m.label, GENERATED_IMAGE_LABEL);
      assert.equal(m.prompt, 'illustration of brain waves');
      assert.equal(m.negativePrompt, 'text');
      assert.equal(m.serverKind, 'a1111');
      assert.deepEqual(m.loras, [{ name: 'brainwave-style', weight: 0.6 }]);
      assert.equal(m.seed, 1001);
      assert.deepEqual([m.width, m.height, m.steps], [512, 512, 20]);
    }
    assert.equal(p.store.last?.images[1].savedAs, res.saved);
    const again = await p.call('save', { id: g.images[1].id }).response();
    assert.match((again.result as { saved: string }).saved, /seed1001-2\.png$/, 'never overwrites');
  });

  it('Cancel stops the request and calls the server’s interrupt', async () => {
    const p = panel();
    const before = server.interrupts;
    const call = p.call('generate', {
      server: server.url,
      prompt: 'slow',
      width: 512,
      height: 512,
      steps: 20,
      count: 2,
    });
    const deadline = Date.now() + 10_000;
    while (!call.progress().some((m) => /step/.test(m.message ?? '')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    p.cancel(call.id);
    const r = await call.response();
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'E_CANCELLED');
    const last = server.requests.filter((q) => q.path === '/sdapi/v1/txt2img').at(-1)!;
    assert.ok(last.closedAt, 'the generation request was closed');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.interrupts, before + 1);
    assert.equal(server.requests.filter((q) => (q.body as { prompt?: string })?.prompt === 'slow').length, 1);
    assert.equal(p.store.last, undefined, 'nothing kept from a cancelled run');
  });

  it('says clearly: server down, wrong URL, LoRA or model not installed, size refused', async () => {
    const p = panel();
    const webpage = await startImageServerDouble({ kind: 'webpage' });
    doubles.push(webpage);
    const failing: [Partial<ImagegenRequests['generate']['params']>, string, RegExp, string][] = [
      [{ server: 'http://127.0.0.1:9' }, 'E_IMAGEGEN_DOWN', /no image server is running/, 'server'],
      [{ server: webpage.url }, 'E_IMAGEGEN_NOT_SERVER', /--api/, 'server'],
      [
        { loras: [{ name: 'missing-lora', weight: 1 }] },
        'E_IMAGEGEN_MODEL',
        /LoRA "missing-lora" is not installed/,
        'loras',
      ],
      [{ model: 'sd15.ckpt' }, 'E_IMAGEGEN_MODEL', /model "sd15.ckpt" is not installed/, 'model'],
      [{ width: 2048 }, 'E_IMAGEGEN_SIZE', /refused the size 2048x512/, 'width'],
    ];
    for (const [over, code, message, field] of failing) {
      const r = await p
        .call('generate', { server: server.url, prompt: 'x', width: 512, height: 512, steps: 4, ...over })
        .response();
      assert.equal(r.ok, false, JSON.stringify(over));
      assert.equal(r.error?.code, code, r.error?.message);
      assert.match(r.error!.message, message);
      assert.equal(describeFailure(r.error!).field, field, `${code}: ${JSON.stringify(r.error)}`);
    }
  });

  it('keeps preset edits and refuses to save an image it no longer has', async () => {
    const p = panel();
    const edited = await p
      .call('savePreset', { id: 'eeg', title: 'EEG', prompt: 'my EEG cap', negativePrompt: '' })
      .response();
    assert.equal(edited.ok, true, JSON.stringify(edited.error));
    const view = edited.result as { presets: ImagegenPreset[]; edited: string[] };
    assert.deepEqual(view.edited, ['eeg']);
    assert.equal(view.presets.find((x) => x.id === 'eeg')?.prompt, 'my EEG cap');
    assert.ok(view.presets.length >= 4);
    const reset = await p.call('resetPreset', { id: 'eeg' }).response();
    assert.deepEqual((reset.result as { edited: string[] }).edited, []);
    const gone = await p.call('save', { id: 'img-999' }).response();
    assert.equal(gone.error?.code, 'E_NOT_FOUND');
    const declined = panel(async () => undefined);
    const g = await declined
      .call('generate', { server: server.url, prompt: 'x', width: 64, height: 64, steps: 1 })
      .response();
    const id = (g.result as PanelGeneration).images[0].id;
    assert.deepEqual((await declined.call('save', { id }).response()).result, { saved: null });
  });

  it('passes only known fields to the agent', () => {
    const req = generationRequest({
      server: ' http://127.0.0.1:7860 ',
      prompt: 'p',
      width: 512,
      evil: '/etc/passwd',
    } as unknown as ImagegenRequests['generate']['params']);
    assert.deepEqual(req, { server: 'http://127.0.0.1:7860', prompt: 'p', loras: [], width: 512 });
  });

  it('the medlab.imagegen.server setting reaches the agent (agent/configure)', async () => {
    const s = readSettings((k) => (k === SETTING_KEYS.imagegenServer ? server.url : undefined));
    await agent.request('agent/configure', agentSettingsOf(s));
    const info = await agent.request('imagegen/servers', {});
    assert.equal(info.url, server.url);
    assert.equal(readSettings(() => undefined).imagegenServer, 'http://127.0.0.1:7860');
  });
});
