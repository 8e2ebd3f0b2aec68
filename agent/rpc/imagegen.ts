import { detectServer } from '../imagegen/detect';
import { generateIllustrations } from '../imagegen/generate';
import { regenerationRequest } from '../imagegen/metadata';
import { DEFAULT_PRESETS } from '../imagegen/presets';
import { readIllustrationMetadata, saveIllustration } from '../imagegen/save';
import { settings } from '../settings';
import type { HandlerTable } from './handler';

export const imagegenHandlers: HandlerTable = {
  'imagegen/servers': async (p) => (await detectServer(p.server ?? settings().imagegenServer)).info,
  'imagegen/generate': (p, ctx) => generateIllustrations(p, ctx),
  'imagegen/save': (p) => saveIllustration(p.image, p.directory, p.name),
  'imagegen/metadata': (p) => readIllustrationMetadata(p.path),
  'imagegen/regeneration': async (p) => {
    const metadata = await readIllustrationMetadata(p.path);
    return { metadata, request: regenerationRequest(metadata) };
  },
  'imagegen/presets': async () => ({ presets: [...DEFAULT_PRESETS] }),
};
