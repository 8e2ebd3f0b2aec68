/**
 * Ends the agent and everything it started. On POSIX the agent is spawned as the leader of its own
 * process group, so signalling the negative pid reaches its children too; Windows has taskkill /T.
 */
import * as cp from 'node:child_process';

export function killProcessTree(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (process.platform === 'win32') {
    cp.spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // Not a group leader (or already gone): fall back to the process itself.
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Whether a process with this pid is alive (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
