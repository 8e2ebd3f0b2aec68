import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MedLabError } from '../../agent/errors';
import { detectServer } from '../../agent/imagegen/detect';
import { generateIllustrations, planJobs } from '../../agent/imagegen/generate';
import { isGeneratedIllustration, metadataFromPng, regenerationRequest } from '../../agent/imagegen/metadata';
import { readPngText } from '../../agent/files/pngText';
import { readIllustrationMetadata, saveIllustration } from '../../agent/imagegen/save';
import { GENERATED_IMAGE_LABEL, type ProgressReport } from '../../agent/protocol';
import type { RunContext } from '../../agent/runContext';
import { silentContext } from '../../agent/runContext';
import { startImageServerDouble, type ImageServerDouble } from '../support/imageServerDouble';
import { runCli } from '../support/agentProcess';

function rejectsWith(code: string, pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof MedLabError, `expected MedLabError, got ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}

function txt2imgBodies(d: ImageServerDouble): Record<string, unknown>[] {
  return d.requests
    .filter((r) => r.path === '/sdapi/v1/txt2img')
    .map((r) => r.body as Record<string, unknown>);
}

describe('image generation: server detection', () => {
  const doubles: ImageServerDouble[] = [];
  afterEach(async () => {
    while (doubles.length) await doubles.pop()!.close();
  });
  async function double(kind: Parameters<typeof startImageServerDouble>[0]['kind']) {
    const d = await startImageServerDouble({ kind });
    doubles.push(d);
    return d;
  }

  it('probes sd.cpp, LocalAI, A1111, ComfyUI, then OpenAI, in that order', async () => {
    const d = await double('openai');
    const s = await detectServer(d.url);
    assert.equal(s.info.kind, 'openai');
    assert.deepEqual(d.paths().slice(0, 5), [
      'GET /sdcpp/v1/capabilities',
      'GET /.well-known/localai.json',
      'GET /sdapi/v1/sd-models',
      'GET /object_info',
      'GET /v1/models',
    ]);
  });

  it('tells each server kind apart and lists models and LoRAs', async () => {
    const a = await detectServer((await double('a1111')).url);
    assert.equal(a.info.kind, 'a1111');
    assert.deepEqual(a.info.models, ['sd_xl_base_1.0.safetensors [31e35c80fc]']);
    assert.equal(a.info.loras[0].name, 'brainwave-style');
    const c = await detectServer((await double('sdcpp')).url);
    assert.equal(c.info.kind, 'sdcpp');
    assert.ok(c.info.limitations.some((l) => /does not report the seed/.test(l)));
    const l = await detectServer((await double('localai')).url);
    assert.equal(l.info.kind, 'localai');
  });

  it('says which server is down, which is not an image server, and that ComfyUI is not driven', async () => {
    await assert.rejects(
      detectServer('http://127.0.0.1:9'),
      rejectsWith('E_IMAGEGEN_DOWN', /no image server is running at http:\/\/127\.0\.0\.1:9/),
    );
    await assert.rejects(
      detectServer((await double('webpage')).url),
      rejectsWith('E_IMAGEGEN_NOT_SERVER', /--api/),
    );
    await assert.rejects(
      detectServer((await double('comfy')).url),
      rejectsWith('E_IMAGEGEN_NOT_SERVER', /ComfyUI/),
    );
  });

  it('warns when the server is not on this machine', async () => {
    const d = await double('a1111');
    const s = await detectServer(d.url.replace('127.0.0.1', 'localhost'));
    assert.equal(s.info.loopback, true);
    assert.equal(s.info.warning, undefined);
    // A non-loopback address: detection fails (nothing listens) but the URL classification is what the UI shows.
    const { remoteHostWarning } = await import('../../agent/net/hostUrl');
    assert.match(remoteHostWarning('http://10.1.2.3:7860', 'prompts')!, /not on this machine/);
  });
});

describe('image generation: what is sent to each server kind', () => {
  let d: ImageServerDouble | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  it('A1111: LoRA as a prompt tag, explicit seeds per image, size, steps, model override; seed read from info', async () => {
    d = await startImageServerDouble({ kind: 'a1111' });
    const r = await generateIllustrations(
      {
        server: d.url,
        prompt: 'brain waves',
        negativePrompt: 'text',
        loras: [{ name: 'brainwave-style', weight: 0.7 }],
        width: 832,
        height: 1216,
        steps: 12,
        seed: 41,
        count: 2,
        model: 'sd_xl_base_1.0',
      },
      silentContext(),
    );
    const bodies = txt2imgBodies(d);
    assert.equal(bodies.length, 2);
    assert.equal(bodies[0].prompt, 'brain waves <lora:brainwave-style:0.7>');
    assert.equal(bodies[0].negative_prompt, 'text');
    assert.deepEqual([bodies[0].seed, bodies[1].seed], [41, 42]);
    assert.deepEqual([bodies[0].width, bodies[0].height, bodies[0].steps], [832, 1216, 12]);
    assert.deepEqual(bodies[0].override_settings, {
      sd_model_checkpoint: 'sd_xl_base_1.0.safetensors [31e35c80fc]',
    });
    assert.deepEqual(
      r.images.map((i) => [i.metadata.seed, i.metadata.seedSource]),
      [
        [41, 'reported'],
        [42, 'reported'],
      ],
    );
  });

  it('stable-diffusion.cpp: LoRA as a structured list (no prompt tag); empty info means the requested seed is recorded', async () => {
    d = await startImageServerDouble({ kind: 'sdcpp' });
    const r = await generateIllustrations(
      {
        server: d.url,
        prompt: 'EEG cap',
        loras: [{ name: 'brainwave-style', weight: 0.5 }],
        width: 512,
        height: 512,
        steps: 8,
        seed: 7,
      },
      silentContext(),
    );
    const [body] = txt2imgBodies(d);
    assert.equal(body.prompt, 'EEG cap');
    assert.deepEqual(body.lora, [{ path: 'brainwave-style.safetensors', multiplier: 0.5 }]);
    assert.equal(body.override_settings, undefined);
    assert.equal(r.images[0].metadata.seed, 7);
    assert.equal(r.images[0].metadata.seedSource, 'requested');
    assert.ok(r.warnings.some((w) => /does not report the seed/.test(w)));
    assert.ok(
      !d.paths().includes('GET /sdapi/v1/progress?skip_current_image=true'),
      'sd.cpp has no progress route',
    );
  });

  it('LocalAI: OpenAI request with b64_json, negative prompt after |, image fetched from its url; no seed is claimed', async () => {
    d = await startImageServerDouble({ kind: 'localai' });
    const r = await generateIllustrations(
      { server: d.url, prompt: 'neurons', negativePrompt: 'text', width: 512, height: 768, steps: 4 },
      silentContext(),
    );
    const gen = d.requests.find((q) => q.path === '/v1/images/generations')!.body as Record<string, unknown>;
    assert.deepEqual(gen, {
      model: 'sdxl-turbo',
      n: 1,
      size: '512x768',
      response_format: 'b64_json',
      step: 4,
      prompt: 'neurons|text',
    });
    assert.equal(r.images[0].metadata.seed, null);
    assert.equal(r.images[0].metadata.seedSource, 'unknown');
    assert.ok(r.warnings.some((w) => /cannot be regenerated exactly/.test(w)));
  });

  it('OpenAI-compatible: settings the protocol lacks are reported, not silently dropped', async () => {
    d = await startImageServerDouble({ kind: 'openai' });
    const r = await generateIllustrations(
      { server: d.url, prompt: 'brain', negativePrompt: 'text', loras: [{ name: 'x', weight: 1 }] },
      silentContext(),
    );
    assert.ok(r.warnings.some((w) => /no negative prompt/.test(w)));
    assert.ok(r.warnings.some((w) => /no LoRA field/.test(w)));
    assert.equal(r.images[0].metadata.negativePrompt, null);
    assert.deepEqual(r.images[0].metadata.loras, []);
  });

  it('reports progress polled from /sdapi/v1/progress', async () => {
    d = await startImageServerDouble({ kind: 'a1111', generationMs: 1500 });
    const reports: ProgressReport[] = [];
    const ctx: RunContext = { ...silentContext(), progress: (p) => reports.push(p) };
    await generateIllustrations(
      { server: d.url, prompt: 'alpha rhythm', steps: 20, width: 512, height: 512 },
      ctx,
    );
    assert.ok(
      reports.some((p) => /^step \d+\/20$/.test(p.message ?? '')),
      JSON.stringify(reports),
    );
  });
});

describe('image generation: errors and cancel', () => {
  let d: ImageServerDouble | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  it('Cancel closes the request within 200 ms and calls the A1111 interrupt', async () => {
    d = await startImageServerDouble({ kind: 'a1111', generationMs: 10_000 });
    const controller = new AbortController();
    const run = generateIllustrations(
      { server: d.url, prompt: 'slow', width: 512, height: 512 },
      silentContext(controller.signal),
    );
    while (!d.requests.some((r) => r.path === '/sdapi/v1/txt2img'))
      await new Promise((r) => setTimeout(r, 10));
    const cancelledAt = Date.now();
    controller.abort();
    await assert.rejects(run, rejectsWith('E_CANCELLED', /cancelled/));
    const req = d.requests.find((r) => r.path === '/sdapi/v1/txt2img')!;
    for (let i = 0; i < 50 && (req.closedAt === undefined || d.interrupts === 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(req.closedAt !== undefined, 'the server saw the connection close');
    assert.ok(req.closedAt! - cancelledAt < 200, `closed after ${req.closedAt! - cancelledAt} ms`);
    assert.equal(d.interrupts, 1);
  });

  it('names a model or LoRA that is not installed, and lists what is', async () => {
    d = await startImageServerDouble({ kind: 'a1111' });
    await assert.rejects(
      generateIllustrations({ server: d.url, prompt: 'x', model: 'dreamshaper' }, silentContext()),
      rejectsWith('E_IMAGEGEN_MODEL', /model "dreamshaper" is not installed.*sd_xl_base/),
    );
    await assert.rejects(
      generateIllustrations(
        { server: d.url, prompt: 'x', loras: [{ name: 'nope', weight: 1 }] },
        silentContext(),
      ),
      rejectsWith('E_IMAGEGEN_MODEL', /LoRA "nope" is not installed.*brainwave-style/),
    );
    assert.equal(txt2imgBodies(d).length, 0, 'nothing was generated');
  });

  it('says when the server refuses a size, and refuses sizes no SD server takes before sending', async () => {
    d = await startImageServerDouble({ kind: 'a1111', maxSize: 1024 });
    await assert.rejects(
      generateIllustrations({ server: d.url, prompt: 'x', width: 1536, height: 1024 }, silentContext()),
      rejectsWith('E_IMAGEGEN_SIZE', /refused the size 1536x1024/),
    );
    assert.throws(
      () => planJobs({ prompt: 'x', width: 1000, height: 1001 }),
      rejectsWith('E_IMAGEGEN_SIZE', /multiples of 8/),
    );
    assert.throws(() => planJobs({ prompt: '  ' }), rejectsWith('E_USAGE', /prompt is empty/));
  });
});

describe('image generation: provenance in the saved PNG', () => {
  let d: ImageServerDouble | undefined;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-imagegen-'));
  });
  afterEach(async () => {
    await d?.close();
    d = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('embeds prompt, server, model, LoRAs, seed, size and steps and the AI label; a sidecar says the same', async () => {
    d = await startImageServerDouble({ kind: 'a1111' });
    const r = await generateIllustrations(
      {
        server: d.url,
        prompt: 'Alzheimer plaques',
        negativePrompt: 'text',
        loras: [{ name: 'brainwave', weight: 0.8 }],
        width: 768,
        height: 512,
        steps: 9,
        seed: 99,
        model: 'sd_xl_base_1.0',
      },
      silentContext(),
    );
    const saved = await saveIllustration(r.images[0], dir);
    const png = fs.readFileSync(saved.png);
    const text = readPngText(png);
    assert.equal(text.get('medlab:generated'), GENERATED_IMAGE_LABEL);
    assert.match(text.get('parameters')!, /Seed: 99, Size: 768x512/);
    const m = metadataFromPng(png, saved.png);
    assert.deepEqual(
      [
        m.serverKind,
        m.serverUrl,
        m.model,
        m.prompt,
        m.negativePrompt,
        m.loras,
        m.seed,
        m.width,
        m.height,
        m.steps,
        m.label,
      ],
      [
        'a1111',
        d.url,
        'sd_xl_base_1.0',
        'Alzheimer plaques',
        'text',
        [{ name: 'brainwave', weight: 0.8 }],
        99,
        768,
        512,
        9,
        GENERATED_IMAGE_LABEL,
      ],
    );
    assert.deepEqual(JSON.parse(fs.readFileSync(saved.sidecar, 'utf8')), m);
    assert.equal(isGeneratedIllustration(png), true);
    // Saving again never overwrites.
    const again = await saveIllustration(r.images[0], dir);
    assert.notEqual(again.png, saved.png);
  });

  it('regenerates from a saved PNG with the same request', async () => {
    d = await startImageServerDouble({ kind: 'a1111' });
    const r = await generateIllustrations(
      {
        server: d.url,
        prompt: 'EEG',
        loras: [{ name: 'brainwave-style', weight: 0.6 }],
        width: 640,
        height: 512,
        steps: 11,
        seed: 5,
      },
      silentContext(),
    );
    const saved = await saveIllustration(r.images[0], dir);
    const before = txt2imgBodies(d)[0];
    await generateIllustrations(
      regenerationRequest(await readIllustrationMetadata(saved.png)),
      silentContext(),
    );
    const after = txt2imgBodies(d)[1];
    assert.deepEqual(after, before);
  });

  it('the CLI generates and saves with its flags, and exits 1 naming a down server', async () => {
    d = await startImageServerDouble({ kind: 'a1111' });
    const ok = await runCli([
      'imagine',
      'brain waves',
      '--server',
      d.url,
      '--lora',
      'brainwave-style:0.5',
      '--seed',
      '3',
      '--count',
      '2',
      '--width',
      '512',
      '--height',
      '512',
      '--out',
      dir,
      '--json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assert.equal(out.images.length, 2);
    assert.deepEqual(
      out.images.map((i: { metadata: { seed: number } }) => i.metadata.seed),
      [3, 4],
    );
    for (const i of out.images) assert.ok(fs.existsSync(i.png));
    const down = await runCli(['imagine', 'x', '--server', 'http://127.0.0.1:9']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /no image server is running at http:\/\/127\.0\.0\.1:9/);
  });
});
