/** Every `medlab` command, gathered from the rooms. */
import type { Command } from '../command';
import { agentCommands } from './agent';
import { eegCommands } from './eeg';
import { eegAnalysisCommands } from './eegAnalysis';
import { eegPredictCommands } from './eegPredict';
import { imagegenCommands } from './imagegen';
import { llmCommands } from './llm';
import { modelsCommands } from './models';
import { studyCommands } from './study';
import { xrayCommands } from './xray';

export const commands: Command[] = [
  ...agentCommands,
  ...eegCommands,
  ...eegAnalysisCommands,
  ...eegPredictCommands,
  ...imagegenCommands,
  ...llmCommands,
  ...modelsCommands,
  ...studyCommands,
  ...xrayCommands,
];
