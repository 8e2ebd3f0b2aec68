/** Text and tooltip of the MedLab status bar item for each agent state. Pure (unit-tested). */
import type { AgentState } from './agent/supervisor';

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** Warning background when the agent is down for good. */
  warning: boolean;
}

export function statusBarView(state: AgentState): StatusBarView {
  switch (state.kind) {
    case 'starting':
      return { text: '$(loading~spin) MedLab', tooltip: 'MedLab agent: starting…', warning: false };
    case 'running': {
      const ep = state.info.executionProvider;
      const device = ep.active === 'cuda' ? 'GPU' : 'CPU';
      return {
        text: `$(pulse) MedLab: ${device}`,
        tooltip: [
          `MedLab agent: running (pid ${state.pid}, ${state.info.version}, Node ${state.info.node})`,
          `Models run on ${ep.active.toUpperCase()} (setting: ${ep.requested}). ${ep.reason}`,
          ep.threads ? `Threads: ${ep.threads}` : '',
          'Click for agent actions.',
        ]
          .filter(Boolean)
          .join('\n'),
        warning: false,
      };
    }
    case 'restarting':
      return {
        text: '$(sync~spin) MedLab: restarting',
        tooltip: `MedLab agent ${state.lastExit}; restart ${state.attempt} in ${Math.round(state.delayMs / 100) / 10} s`,
        warning: false,
      };
    case 'failed':
      return {
        text: '$(error) MedLab: agent down',
        tooltip: `MedLab agent is not running: ${state.reason} (last: ${state.lastExit}). Click to restart or show logs.`,
        warning: true,
      };
    case 'stopped':
      return { text: '$(circle-slash) MedLab', tooltip: 'MedLab agent: stopped', warning: false };
  }
}
