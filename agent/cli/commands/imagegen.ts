import * as path from 'node:path';
import { MedLabError } from '../../errors';
import { detectServer } from '../../imagegen/detect';
import { generateIllustrations } from '../../imagegen/generate';
import { regenerationRequest } from '../../imagegen/metadata';
import { DEFAULT_PRESETS } from '../../imagegen/presets';
import { readIllustrationMetadata, saveIllustration } from '../../imagegen/save';
import {
  GENERATED_IMAGE_LABEL,
  type ImagegenRequest,
  type ImageServerInfo,
  type LoraRef,
} from '../../protocol';
import { settings } from '../../settings';
import { optList, optNumber, optString } from '../args';
import type { Command } from '../command';

function parseLora(spec: string): LoraRef {
  const m = /^(.+?)(?::(-?\d+(?:\.\d+)?))?$/.exec(spec.trim());
  if (!m || !m[1])
    throw new MedLabError('E_USAGE', `--lora expects NAME:WEIGHT, got "${spec}"`, { field: 'lora' });
  return { name: m[1], weight: m[2] === undefined ? 1 : Number(m[2]) };
}

function describeServer(s: ImageServerInfo): string[] {
  const lines = [`${s.description} at ${s.url}`];
  if (s.warning) lines.push(`warning: ${s.warning}`);
  lines.push(`models: ${s.models.length ? s.models.join(', ') : '(none listed)'}`);
  lines.push(`LoRAs: ${s.loras.length ? s.loras.map((l) => l.name).join(', ') : '(none listed)'}`);
  if (s.limitations.length) lines.push(`cannot: ${s.limitations.join('; ')}`);
  return lines;
}

const imagine: Command = {
  words: ['imagine'],
  summary: 'generate illustrations with a local image server (A1111/Forge, stable-diffusion.cpp, LocalAI)',
  positionals: [{ name: 'PROMPT', description: 'what to draw (or use --preset / --from)', optional: true }],
  options: [
    {
      name: 'server',
      type: 'string',
      valueName: 'URL',
      description: `image server (default ${settings().imagegenServer})`,
    },
    { name: 'model', type: 'string', valueName: 'M', description: 'checkpoint, as the server lists it' },
    { name: 'lora', type: 'list', valueName: 'NAME:WEIGHT', description: 'LoRA to apply (repeatable)' },
    { name: 'negative', type: 'string', valueName: 'TEXT', description: 'negative prompt' },
    {
      name: 'preset',
      type: 'string',
      valueName: 'ID',
      description: `theme preset: ${DEFAULT_PRESETS.map((p) => p.id).join(', ')}`,
    },
    {
      name: 'width',
      type: 'number',
      valueName: 'W',
      description: 'width in pixels, multiple of 8 (default 1024)',
    },
    {
      name: 'height',
      type: 'number',
      valueName: 'H',
      description: 'height in pixels, multiple of 8 (default 1024)',
    },
    { name: 'steps', type: 'number', valueName: 'N', description: 'sampling steps (default 30)' },
    { name: 'cfg', type: 'number', valueName: 'SCALE', description: 'CFG scale (default 7)' },
    {
      name: 'sampler',
      type: 'string',
      valueName: 'NAME',
      description: 'sampler name as the server lists it',
    },
    {
      name: 'seed',
      type: 'number',
      valueName: 'S',
      description: 'first seed (image k uses S+k; random when omitted)',
    },
    { name: 'count', type: 'number', valueName: 'K', description: 'images, one per seed (default 1, max 8)' },
    {
      name: 'from',
      type: 'string',
      valueName: 'PNG|JSON',
      description: 'regenerate a saved figure from its metadata',
    },
    { name: 'out', type: 'string', valueName: 'DIR', description: 'where to save (default ./illustrations)' },
  ],
  details: `Every image is labelled "${GENERATED_IMAGE_LABEL}" in its PNG metadata and sidecar JSON;\nthe diagnosis pipeline refuses such images.`,
  async run(args, io) {
    let req: ImagegenRequest;
    const from = optString(args, 'from');
    if (from) {
      req = regenerationRequest(await readIllustrationMetadata(from));
      if (optString(args, 'server')) req.server = optString(args, 'server');
    } else {
      const presetId = optString(args, 'preset');
      const preset = presetId ? DEFAULT_PRESETS.find((p) => p.id === presetId) : undefined;
      if (presetId && !preset) {
        throw new MedLabError(
          'E_USAGE',
          `unknown preset "${presetId}" (one of ${DEFAULT_PRESETS.map((p) => p.id).join(', ')})`,
          { field: 'preset' },
        );
      }
      const prompt = args.positionals[0] ?? preset?.prompt;
      if (!prompt)
        throw new MedLabError('E_USAGE', 'missing PROMPT (or --preset ID, or --from FILE)', {
          field: 'PROMPT',
        });
      req = {
        prompt,
        server: optString(args, 'server'),
        model: optString(args, 'model'),
        loras: (optList(args, 'lora') ?? []).map(parseLora),
        negativePrompt: optString(args, 'negative') ?? preset?.negativePrompt,
        width: optNumber(args, 'width'),
        height: optNumber(args, 'height'),
        steps: optNumber(args, 'steps'),
        cfgScale: optNumber(args, 'cfg'),
        sampler: optString(args, 'sampler'),
        seed: optNumber(args, 'seed'),
        count: optNumber(args, 'count'),
      };
    }
    const result = await generateIllustrations(req, io.ctx);
    const dir = path.resolve(optString(args, 'out') ?? 'illustrations');
    const saved = [];
    for (const image of result.images)
      saved.push({ ...(await saveIllustration(image, dir)), metadata: image.metadata });
    if (io.json) {
      io.out(JSON.stringify({ server: result.server, warnings: result.warnings, images: saved }, null, 2));
      return;
    }
    for (const w of result.warnings) io.err(`note: ${w}`);
    for (const s of saved)
      io.out(`${s.png}  (seed ${s.metadata.seed ?? 'unknown'}; ${GENERATED_IMAGE_LABEL})`);
  },
};

const server: Command = {
  words: ['imagegen', 'server'],
  summary: 'detect the image server at a URL and list its models, LoRAs and limitations',
  positionals: [],
  options: [
    {
      name: 'server',
      type: 'string',
      valueName: 'URL',
      description: `image server (default ${settings().imagegenServer})`,
    },
  ],
  async run(args, io) {
    const info = (await detectServer(optString(args, 'server') ?? settings().imagegenServer)).info;
    if (io.json) return io.out(JSON.stringify(info, null, 2));
    for (const l of describeServer(info)) io.out(l);
  },
};

export const imagegenCommands: Command[] = [imagine, server];
