/** Writes a generated figure and its JSON sidecar into a folder, never overwriting an existing file. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fromFsError, MedLabError } from '../errors';
import type { GeneratedImage, IllustrationMetadata } from '../protocol';
import { metadataFromPng, parseMetadata } from './metadata';

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, ' ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'illustration'
  );
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

export async function saveIllustration(
  image: GeneratedImage,
  directory: string,
  name?: string,
): Promise<{ png: string; sidecar: string }> {
  const png = Buffer.from(image.png, 'base64');
  // The PNG must carry its own metadata (the label above all): check before writing.
  metadataFromPng(png, 'the image to save');
  await fs.mkdir(directory, { recursive: true }).catch((e) => {
    throw fromFsError(e, directory);
  });
  const base =
    (name ? slug(name) : slug(image.metadata.prompt)) +
    (image.metadata.seed !== null ? `-seed${image.metadata.seed}` : '');
  let stem = path.join(directory, base);
  for (let i = 2; (await exists(`${stem}.png`)) || (await exists(`${stem}.json`)); i++)
    stem = path.join(directory, `${base}-${i}`);
  const pngPath = `${stem}.png`;
  const jsonPath = `${stem}.json`;
  try {
    await fs.writeFile(pngPath, png, { flag: 'wx' });
    await fs.writeFile(jsonPath, JSON.stringify(image.metadata, null, 2) + '\n', { flag: 'wx' });
  } catch (e) {
    throw fromFsError(e, pngPath);
  }
  return { png: pngPath, sidecar: jsonPath };
}

/** Metadata of a saved figure: from the PNG itself, or from its sidecar when given a .json. */
export async function readIllustrationMetadata(file: string): Promise<IllustrationMetadata> {
  const buf = await fs.readFile(file).catch((e) => {
    throw fromFsError(e, file);
  });
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return parseMetadata(JSON.parse(buf.toString('utf8')), file);
    } catch (e) {
      if (e instanceof MedLabError) throw e;
      throw new MedLabError('E_IMAGE_DECODE', `${file} is not valid JSON`, { path: file });
    }
  }
  return metadataFromPng(buf, file);
}
