/** eeg/open and eeg/annotations: the recording's header, signals and annotations, from the shared cache. */
import { MedLabError } from '../errors';
import type { EegAnnotation, EegRecordingInfo } from '../protocol';
import { getRecording } from '../eeg/recordingCache';
import { rememberIdentifiers } from '../llm/deidentify';
import { edfIdentifiers, fileNameIdentifiers } from '../llm/identifierSources';
import type { HandlerTable } from './handler';

function requirePath(params: { path?: unknown }): string {
  if (typeof params.path !== 'string' || params.path === '') {
    throw new MedLabError('E_USAGE', 'params.path must be the path of an EDF or BDF file', { field: 'path' });
  }
  return params.path;
}

export async function eegOpen(path: string): Promise<EegRecordingInfo> {
  const info = (await getRecording(path)).info;
  // Anything opened in the UI may later be attached to a chat: its identifiers are blocked from
  // every language-model request from now on, not only those of recordings attached explicitly.
  const ids = edfIdentifiers(info.identifiers);
  ids.addAll(fileNameIdentifiers(path));
  rememberIdentifiers(ids);
  return info;
}

export async function eegAnnotations(path: string): Promise<EegAnnotation[]> {
  return [...(await getRecording(path)).annotations];
}

export const eegHandlers: HandlerTable = {
  'eeg/open': (params) => eegOpen(requirePath(params)),
  'eeg/annotations': async (params) => ({ annotations: await eegAnnotations(requirePath(params)) }),
};
