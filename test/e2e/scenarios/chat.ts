import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

/** 4. Chat from the palette against the Ollama double: the answer streams, Stop stops it, down is said. */
export const chat: Scenario = {
  name: 'Chat with Medical Model streams, stops, and says when Ollama is down',
  async run({ wb, ollama }) {
    await wb.runCommand('MedLab: Chat with Medical Model');
    const f = await wb.webviewFrame(async (fr) => (await fr.locator('#transcript').count()) > 0, 60_000);
    await f
      .locator('#model option', { hasText: 'medgemma:4b' })
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    await f
      .locator('#model')
      .selectOption({ label: 'medgemma:4b' })
      .catch(() => undefined);

    const transcript = f.locator('#transcript');
    // The panel may hold earlier turns (an Explain from the EEG viewer): wait for this answer's text.
    const before = (await transcript.innerText()).length;
    const question = 'What does an AUROC of 0.9 mean for this classifier?';
    await f.locator('#input').fill(question);
    await f.locator('#send').click();
    for (let i = 0; i < 300 && (await transcript.innerText()).length < before + question.length + 40; i++) {
      await wb.page.waitForTimeout(100);
    }
    const early = (await transcript.innerText()).length;
    await wb.shot('04-chat-streaming');
    const stopAt = Date.now();
    await f.locator('#stop').click();
    let closed: number | undefined;
    for (let i = 0; i < 40 && closed === undefined; i++) {
      closed = ollama.requests().find((r) => r.path === '/api/chat' && r.closedAt !== undefined)?.closedAt;
      await wb.page.waitForTimeout(50);
    }
    expect(closed !== undefined, 'Stop did not close the connection to Ollama');
    expect(closed - stopAt < 2000, `connection closed ${closed - stopAt} ms after the click`);
    const stopped = (await transcript.innerText()).length;
    await wb.page.waitForTimeout(1000);
    const later = (await transcript.innerText()).length;
    expect(later === stopped, `the answer kept growing after Stop (${stopped} → ${later})`);
    expect(stopped > early - 1, 'the streamed text vanished');
    expect(
      !(await transcript.innerText()).includes('not a diagnosis for a patient. '.repeat(6)),
      'the whole answer arrived: nothing was stopped',
    );
    await wb.shot('04-chat-stopped');

    ollama.setDown(true);
    await f.locator('#input').fill('Are you there?');
    await f.locator('#send').click();
    await f
      .locator('#failure:not([hidden])', { hasText: /Ollama is not running at/ })
      .waitFor({ timeout: 30_000 });
    await wb.shot('04-chat-ollama-down');
  },
};
