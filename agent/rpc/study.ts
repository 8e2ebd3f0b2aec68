import { runMetrics } from '../study/runMetrics';
import type { HandlerTable } from './handler';

export const studyHandlers: HandlerTable = {
  'study/metrics': (params, ctx) => runMetrics(params, ctx),
};
