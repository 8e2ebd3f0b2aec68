/** study/compare: the DenseNet-versus-LLM study (agent/study/llmStudy.ts; `medlab compare`). */
import { runLlmStudy } from '../study/llmStudy';
import type { HandlerTable } from './handler';

export const studyCompareHandlers: HandlerTable = {
  'study/compare': (p, ctx) => runLlmStudy(p, ctx),
};
