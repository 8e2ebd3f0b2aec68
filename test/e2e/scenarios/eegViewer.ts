import type { Frame } from 'playwright-core';
import { canvasInk } from '../lib/workbench';
import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

async function timeText(f: Frame): Promise<string> {
  return (await f.locator('#time').innerText()).trim();
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** 2. Open an .edf file: traces drawn, channel labels right, paging moves time, an annotation click jumps. */
export const eegViewer: Scenario = {
  name: 'EEG viewer draws traces, pages, jumps to annotations, runs a model and explains it',
  async run({ wb }) {
    await wb.showExplorer();
    const folder = wb.explorerRow('recordings');
    await folder.waitFor({ timeout: 60_000 });
    await folder.click();
    const file = wb.explorerRow('eeg1020_alpha_artefacts.edf');
    await file.waitFor();
    const menu = await wb.contextItems(file);
    expect(
      menu.includes('Open in EEG Viewer'),
      `context menu lacks "Open in EEG Viewer": ${menu.join(', ')}`,
    );
    await file.dblclick();
    const f = await wb.webviewFrame(async (fr) => (await fr.locator('#traces').count()) > 0, 60_000);
    await waitFor(async () => (await canvasInk(f, '#traces')) > 2000, 'traces on the canvas');
    const ink = await canvasInk(f, '#traces');
    await wb.shot('02-eeg-viewer');

    const channels = (await f.locator('#channels').innerText()).split(/\s+/).filter(Boolean);
    for (const label of ['EEG Fp1-REF', 'EEG O2-REF', 'EEG Cz-REF']) {
      expect(
        channels.some((c) => c.includes(label.split(' ')[1].replace('-REF', ''))),
        `channel ${label} not listed: ${channels.join(' ')}`,
      );
    }

    const t0 = await timeText(f);
    await f.locator('#next').click();
    await waitFor(async () => (await timeText(f)) !== t0, 'the time to move after Next');
    const t1 = await timeText(f);
    expect(t1 !== t0, `paging did not move the time (${t0})`);

    const annotations = f.locator('#annotations li');
    await annotations.first().waitFor({ timeout: 20_000 });
    const count = await annotations.count();
    expect(count >= 3, `only ${count} annotations listed`);
    const target = annotations.nth(Math.min(3, count - 1));
    const label = (await target.innerText()).trim();
    await target.click();
    await waitFor(async () => (await timeText(f)) !== t1, `a jump to annotation "${label}"`);
    await waitFor(async () => (await canvasInk(f, '#traces')) > ink / 4, 'traces after the jump');
    await wb.shot('02-eeg-viewer-annotation');

    // A model's per-window output as a track, then "Explain" hands it to the chat (Ollama double).
    await f.locator('vscode-tab-header[data-tab="model"]').click();
    await f.locator('#runModel:not([disabled])').waitFor({ timeout: 30_000 });
    await f.locator('#runModel').click();
    await f.locator('#modelSummary', { hasText: /Recording: / }).waitFor({ timeout: 120_000 });
    await f.locator('#trackBox:not([hidden])').waitFor({ timeout: 10_000 });
    expect((await canvasInk(f, '#track')) > 50, 'the model output track is empty');
    await wb.shot('02-eeg-viewer-model');
    await f.locator('#explainModel:not([disabled])').click();
    const chat = await wb.webviewFrame(async (fr) => (await fr.locator('#transcript').count()) > 0, 60_000);
    await chat.locator('#transcript', { hasText: 'research result' }).waitFor({ timeout: 60_000 });
    await wb.shot('02-eeg-viewer-explain');
    // Leave the chat idle for the chat scenario.
    if (await chat.locator('#stop:not([disabled])').count()) await chat.locator('#stop').click();
    await chat.locator('#stop[disabled]').waitFor({ timeout: 10_000 });
  },
};
