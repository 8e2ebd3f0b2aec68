import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

async function pingPid(ctx: Parameters<Scenario['run']>[0]): Promise<number> {
  await ctx.wb.runCommand('MedLab: Ping Agent');
  const toast = ctx.wb.toast(/MedLab agent answered in \d+ ms \(pid \d+\)/);
  await toast.waitFor({ timeout: 60_000 });
  const text = await toast.innerText();
  const pid = Number(/pid (\d+)/.exec(text)?.[1]);
  await ctx.wb.page.keyboard.press('Escape');
  return pid;
}

/** 5. Kill the agent process: the extension notices, restarts it, and the next command works. */
export const agentRestart: Scenario = {
  name: 'a killed agent is restarted and the next command works',
  async run(ctx) {
    const first = await pingPid(ctx);
    expect(first > 0, 'no agent pid');
    process.kill(first, 'SIGKILL');
    await ctx.wb.page
      .locator('.statusbar', { hasText: /MedLab: (restarting|agent down)/ })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    await ctx.wb.page
      .locator('.statusbar', { hasText: /MedLab: (CPU|CUDA|GPU)/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await ctx.wb.shot('05-agent-restarted');
    const second = await pingPid(ctx);
    expect(second > 0 && second !== first, `agent not restarted (pid ${first} then ${second})`);
  },
};
