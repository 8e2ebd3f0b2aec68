import type { Scenario } from '../lib/scenario';
import { agentRestart } from './agentRestart';
import { eegViewer } from './eegViewer';
import { imagegen } from './imagegen';
import { inHost } from './inHost';
import { views } from './views';

/** In the order a person would meet them. */
export const scenarios: Scenario[] = [views, eegViewer, imagegen, agentRestart, inHost];
