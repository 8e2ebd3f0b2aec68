/** Every `medlab` command, gathered from the rooms. */
import type { Command } from '../command';
import { agentCommands } from './agent';
import { eegCommands } from './eeg';
import { eegAnalysisCommands } from './eegAnalysis';
import { imagegenCommands } from './imagegen';
import { studyCommands } from './study';

export const commands: Command[] = [
  ...agentCommands,
  ...eegCommands,
  ...eegAnalysisCommands,
  ...imagegenCommands,
  ...studyCommands,
];
