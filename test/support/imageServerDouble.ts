/**
 * A test double of a local image server on 127.0.0.1, speaking one of the real protocols
 * (A1111/Forge sdapi with progress, interrupt and LoRA list; stable-diffusion.cpp with empty
 * `info` and a structured LoRA list; LocalAI and a plain OpenAI images API; ComfyUI and a plain web
 * page for detection). It records every request, including when a client closed its connection.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export type DoubleKind = 'a1111' | 'sdcpp' | 'localai' | 'openai' | 'comfy' | 'webpage';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  receivedAt: number;
  /** When the client closed the connection before the answer was sent. */
  closedAt?: number;
}

export interface DoubleOptions {
  kind: DoubleKind;
  /** How long a generation takes (ms). */
  generationMs?: number;
  /** Largest width/height accepted; larger gets the server's own refusal. */
  maxSize?: number;
  models?: string[];
  loras?: { name: string; alias?: string; path?: string }[];
}

export interface ImageServerDouble {
  url: string;
  requests: RecordedRequest[];
  interrupts: number;
  paths(): string[];
  close(): Promise<void>;
}

async function png(width: number, height: number, seed: number): Promise<Buffer> {
  const r = seed % 256;
  return sharp({
    create: {
      width: Math.min(width, 64),
      height: Math.min(height, 64),
      channels: 3,
      background: { r, g: 80, b: 160 },
    },
  })
    .png()
    .toBuffer();
}

export async function startImageServerDouble(opts: DoubleOptions): Promise<ImageServerDouble> {
  const requests: RecordedRequest[] = [];
  const state = { interrupts: 0, step: 0, steps: 0, busy: false };
  const models = opts.models ?? ['sd_xl_base_1.0.safetensors [31e35c80fc]'];
  const loras = opts.loras ?? [
    { name: 'brainwave-style', alias: 'brainwave', path: 'brainwave-style.safetensors' },
  ];
  const maxSize = opts.maxSize ?? 2048;

  const send = (res: http.ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };

  async function generate(
    req: RecordedRequest,
    res: http.ServerResponse,
    width: number,
    height: number,
    seed: number,
    steps: number,
  ) {
    state.busy = true;
    state.steps = steps;
    const t0 = Date.now();
    const total = opts.generationMs ?? 0;
    let aborted = false;
    res.on('close', () => {
      if (!res.writableEnded) {
        aborted = true;
        req.closedAt = Date.now();
      }
    });
    while (Date.now() - t0 < total && !aborted) {
      state.step = Math.min(steps, Math.floor(((Date.now() - t0) / total) * steps));
      await new Promise((r) => setTimeout(r, 20));
    }
    state.busy = false;
    state.step = 0;
    if (aborted) return undefined;
    return png(width, height, seed);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        body,
        receivedAt: Date.now(),
      };
      requests.push(rec);
      const p = url.pathname;
      const k = opts.kind;
      const sdapi = k === 'a1111' || k === 'sdcpp';
      if (k === 'sdcpp' && p === '/sdcpp/v1/capabilities')
        return send(res, 200, { model: models[0], loras, limits: { max_width: maxSize } });
      if (k === 'localai' && p === '/.well-known/localai.json') return send(res, 200, { version: 'v2.99.0' });
      if (k === 'comfy' && p === '/object_info') return send(res, 200, { KSampler: {} });
      if (k === 'webpage')
        return send(res, p === '/' ? 200 : 404, '<html><body>web ui</body></html>', 'text/html');
      if (sdapi && p === '/sdapi/v1/sd-models')
        return send(
          res,
          200,
          models.map((t) => ({ title: t, model_name: t.replace(/\.safetensors.*$/, '') })),
        );
      if (sdapi && p === '/sdapi/v1/loras')
        return send(
          res,
          200,
          loras.map((l) => ({ name: l.name, alias: l.alias ?? l.name, path: l.path ?? '' })),
        );
      if (k === 'a1111' && p === '/sdapi/v1/progress') {
        return send(res, 200, {
          progress: state.steps ? state.step / state.steps : 0,
          eta_relative: 1,
          state: { sampling_step: state.step, sampling_steps: state.steps },
          current_image: null,
        });
      }
      if (k === 'a1111' && p === '/sdapi/v1/interrupt' && req.method === 'POST') {
        state.interrupts++;
        return send(res, 200, {});
      }
      if (sdapi && p === '/sdapi/v1/txt2img' && req.method === 'POST') {
        const b = body as { width: number; height: number; seed: number; steps: number; prompt: string };
        if (b.width > maxSize || b.height > maxSize) {
          return send(res, 422, {
            detail: [{ loc: ['body', 'width'], msg: `width must be at most ${maxSize}` }],
            error: `Invalid width: ${b.width} exceeds ${maxSize}`,
          });
        }
        const seed = b.seed === -1 ? 1234 : b.seed;
        const image = await generate(rec, res, b.width, b.height, seed, b.steps);
        if (!image) return;
        const info =
          k === 'sdcpp'
            ? ''
            : JSON.stringify({
                seed,
                all_seeds: [seed],
                prompt: b.prompt,
                steps: b.steps,
                width: b.width,
                height: b.height,
              });
        return send(res, 200, { images: [image.toString('base64')], parameters: b, info });
      }
      if ((k === 'localai' || k === 'openai') && p === '/v1/models')
        return send(res, 200, { object: 'list', data: [{ id: 'sdxl-turbo', object: 'model' }] });
      if ((k === 'localai' || k === 'openai') && p === '/v1/images/generations' && req.method === 'POST') {
        const b = body as { size: string; prompt: string };
        const [w, h] = (b.size ?? '512x512').split('x').map(Number);
        if (w > maxSize || h > maxSize)
          return send(res, 400, { error: { message: `invalid size ${b.size}` } });
        const image = await generate(rec, res, w, h, 7, 1);
        if (!image) return;
        if (k === 'localai')
          return send(res, 200, { created: 1, data: [{ url: '/generated-images/x.png' }] });
        return send(res, 200, { created: 1, data: [{ b64_json: image.toString('base64') }] });
      }
      if (k === 'localai' && p === '/generated-images/x.png')
        return send(res, 200, await png(8, 8, 7), 'image/png');
      return send(res, 404, { detail: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get interrupts() {
      return state.interrupts;
    },
    paths: () => requests.map((r) => `${r.method} ${r.path}`),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
