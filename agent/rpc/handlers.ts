/** Every method the agent serves, merged from the rooms' tables. */
import type { HandlerTable } from './handler';
import { agentHandlers } from './agent';
import { eegHandlers } from './eeg';
import { eegSignalHandlers } from './eegSignals';
import { imagegenHandlers } from './imagegen';
import { studyHandlers } from './study';

export const handlers: HandlerTable = {
  ...agentHandlers,
  ...eegHandlers,
  ...eegSignalHandlers,
  ...imagegenHandlers,
  ...studyHandlers,
};
