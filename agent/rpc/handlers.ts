/** Every method the agent serves, merged from the rooms' tables. */
import type { HandlerTable } from './handler';
import { agentHandlers } from './agent';
import { eegHandlers } from './eeg';
import { eegSignalHandlers } from './eegSignals';
import { imagegenHandlers } from './imagegen';
import { modelsHandlers } from './models';
import { studyHandlers } from './study';
import { xrayHandlers } from './xray';

export const handlers: HandlerTable = {
  ...agentHandlers,
  ...eegHandlers,
  ...eegSignalHandlers,
  ...imagegenHandlers,
  ...modelsHandlers,
  ...studyHandlers,
  ...xrayHandlers,
};
