/** eeg/predict: an EEG model over one recording (agent/eeg/predict/predictEeg.ts). */
import { predictEeg } from '../eeg/predict/predictEeg';
import { MedLabError } from '../errors';
import type { HandlerTable } from './handler';

export const eegPredictHandlers: HandlerTable = {
  'eeg/predict': async (params, ctx) => {
    if (typeof params.path !== 'string' || params.path === '') {
      throw new MedLabError('E_USAGE', 'params.path must be the path of an EDF or BDF file', {
        field: 'path',
      });
    }
    if (typeof params.model !== 'string' || params.model === '') {
      throw new MedLabError('E_USAGE', 'params.model must be a model id (see models/list)', {
        field: 'model',
      });
    }
    if (
      params.channels !== undefined &&
      !(Array.isArray(params.channels) && params.channels.every((c) => typeof c === 'string'))
    ) {
      throw new MedLabError('E_USAGE', 'params.channels must be an array of channel labels', {
        field: 'channels',
      });
    }
    return predictEeg(params.path, params.model, ctx, { channels: params.channels, montage: params.montage });
  },
};
