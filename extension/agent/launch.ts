/**
 * How the agent process is started. In desktop VS Code `process.execPath` is Electron, which
 * behaves as plain Node only with ELECTRON_RUN_AS_NODE=1; in code-server it is node already.
 * A user can point `medlab.agent.nodePath` at another Node 20+ binary instead.
 */
import * as path from 'node:path';

export interface AgentLaunch {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface LaunchInputs {
  /** Root of the installed extension (holds dist/agent.js, models/). */
  extensionRoot: string;
  /** Setting medlab.agent.nodePath ('' = use the editor's own runtime). */
  nodePath: string;
  /** process.execPath of the extension host. */
  execPath: string;
  /** The extension host's environment. */
  env: Record<string, string | undefined>;
  /** Environment the agent reads its first settings from (before agent/configure arrives). */
  agentEnv: Record<string, string>;
}

export function agentLaunch(inputs: LaunchInputs): AgentLaunch {
  const env: Record<string, string | undefined> = {
    ...inputs.env,
    ...inputs.agentEnv,
    ELECTRON_RUN_AS_NODE: '1',
  };
  // Debug flags meant for the extension host (inspect ports, loaders) must not leak into the agent.
  delete env.NODE_OPTIONS;
  return {
    command: inputs.nodePath.trim() || inputs.execPath,
    args: [path.join(inputs.extensionRoot, 'dist', 'agent.js')],
    env,
    cwd: inputs.extensionRoot,
  };
}
