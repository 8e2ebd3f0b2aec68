import type { Scenario } from '../lib/scenario';
import { agentRestart } from './agentRestart';
import { chat } from './chat';
import { diagnose } from './diagnose';
import { eegViewer } from './eegViewer';
import { imagegen } from './imagegen';
import { inHost } from './inHost';
import { views } from './views';

/** In the order a person would meet them. */
export const scenarios: Scenario[] = [views, diagnose, eegViewer, imagegen, chat, agentRestart, inHost];
