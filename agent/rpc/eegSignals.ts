/** eeg/window, eeg/spectrum, eeg/bands: thin glue from params to the agent's EEG functions. */
import { MedLabError } from '../errors';
import type { EegBands, EegSpectrum, EegSpectrumParams, EegWindow, EegWindowParams } from '../protocol';
import type { RunContext } from '../runContext';
import { encodeFloat32 } from '../wire';
import { getRecording } from '../eeg/recordingCache';
import { computeBands, computeSpectrum } from '../eeg/spectrum';
import { readWindow } from '../eeg/window';
import type { HandlerTable } from './handler';

function requirePath(params: { path?: unknown }): string {
  if (typeof params.path !== 'string' || params.path === '') {
    throw new MedLabError('E_USAGE', 'params.path must be the path of an EDF or BDF file', { field: 'path' });
  }
  return params.path;
}

export async function eegWindow(params: EegWindowParams): Promise<EegWindow> {
  const recording = await getRecording(requirePath(params));
  if (typeof params.start !== 'number' || typeof params.duration !== 'number') {
    throw new MedLabError('E_USAGE', 'params.start and params.duration must be numbers of seconds', {
      field: typeof params.start !== 'number' ? 'start' : 'duration',
    });
  }
  return readWindow(recording, params);
}

export async function eegSpectrum(params: EegSpectrumParams, ctx?: RunContext): Promise<EegSpectrum> {
  const s = await computeSpectrum(await getRecording(requirePath(params)), params, ctx);
  const rates = new Set(s.channels.map((c) => c.sampleRate));
  if (rates.size > 1) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      `the channels have different sample rates (${[...rates].join(', ')} Hz); ask for channels of one rate`,
      { field: 'channels' },
    );
  }
  return {
    frequencies: encodeFloat32(s.channels[0].frequencies),
    channels: s.channels.map((c) => ({ label: c.label, unit: c.unit, psd: encodeFloat32(c.psd) })),
  };
}

export async function eegBands(params: EegSpectrumParams, ctx?: RunContext): Promise<EegBands> {
  const b = await computeBands(await getRecording(requirePath(params)), params, ctx);
  return { unit: b.unit, channels: b.channels };
}

export const eegSignalHandlers: HandlerTable = {
  'eeg/window': (params) => eegWindow(params),
  'eeg/spectrum': (params, ctx) => eegSpectrum(params, ctx),
  'eeg/bands': (params, ctx) => eegBands(params, ctx),
};
