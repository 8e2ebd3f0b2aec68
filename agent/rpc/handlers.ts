/** Every method the agent serves, merged from the rooms' tables. */
import type { HandlerTable } from './handler';
import { agentHandlers } from './agent';
import { eegHandlers } from './eeg';
import { eegPredictHandlers } from './eegPredict';
import { eegSignalHandlers } from './eegSignals';
import { imagegenHandlers } from './imagegen';
import { llmHandlers } from './llm';
import { modelsHandlers } from './models';
import { studyHandlers } from './study';
import { studyCompareHandlers } from './studyCompare';
import { xrayHandlers } from './xray';

export const handlers: HandlerTable = {
  ...agentHandlers,
  ...eegHandlers,
  ...eegPredictHandlers,
  ...eegSignalHandlers,
  ...imagegenHandlers,
  ...llmHandlers,
  ...modelsHandlers,
  ...studyHandlers,
  ...studyCompareHandlers,
  ...xrayHandlers,
};
