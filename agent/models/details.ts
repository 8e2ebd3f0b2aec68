/** `models/show`: a verified model's manifest, card, graph and the provider it would run on. */
import * as fs from 'node:fs';
import { fromFsError } from '../errors';
import type { ModelDetails } from '../protocol';
import { findModel, modelSummary } from './registry';
import { getModelSession } from './runtime';

export async function showModel(id: string): Promise<ModelDetails> {
  const entry = await findModel(id);
  let card: string | null = null;
  if (entry.cardPath) {
    try {
      card = await fs.promises.readFile(entry.cardPath, 'utf8');
    } catch (e) {
      throw fromFsError(e, entry.cardPath);
    }
  }
  // Opening the session checks the graph against the manifest (input and output names).
  const session = await getModelSession(entry);
  return {
    ...modelSummary(entry),
    manifest: entry.manifest,
    card,
    graph: { inputs: session.inputs, outputs: session.outputs },
    executionProvider: session.executionProvider,
  };
}
