import { showModel } from '../models/details';
import { listModels } from '../models/registry';
import type { HandlerTable } from './handler';

export const modelsHandlers: HandlerTable = {
  'models/list': (params) => listModels({ task: params.task }),
  'models/show': (params) => showModel(params.id),
};
