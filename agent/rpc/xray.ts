import { diagnose } from '../xray/batch';
import { heatmapForImage } from '../xray/explain';
import type { HandlerTable } from './handler';

export const xrayHandlers: HandlerTable = {
  'xray/diagnose': (params, ctx) => diagnose(params, ctx),
  'xray/heatmap': (params, ctx) => heatmapForImage(params, ctx),
};
