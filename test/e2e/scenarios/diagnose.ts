import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

/** 1. Right-click an X-ray folder, "Diagnose X-rays": a row per image, the accuracy, a heat map. */
export const diagnose: Scenario = {
  name: 'Diagnose X-rays from the Explorer shows rows, accuracy and a heat map',
  async run({ wb, workspace }) {
    await wb.showExplorer();
    const folder = wb.explorerRow('xray');
    await folder.waitFor({ timeout: 60_000 });
    await wb.contextPick(folder, 'Diagnose X-rays');
    // With several X-ray models installed a quick pick asks which one: take the first (the default).
    const picker = wb.page.locator('.quick-input-widget', { hasText: 'with which model' });
    const reportOpen = async () => {
      for (const fr of wb.page.frames()) {
        if (
          fr.url().includes('fake.html') &&
          (await fr
            .locator('#results')
            .count()
            .catch(() => 0)) > 0
        )
          return true;
      }
      return false;
    };
    for (let i = 0; i < 300 && !(await reportOpen()); i++) {
      if (await picker.isVisible().catch(() => false)) await wb.page.keyboard.press('Enter');
      await wb.page.waitForTimeout(200);
    }
    const f = await wb.webviewFrame(async (fr) => (await fr.locator('#results').count()) > 0, 60_000);
    await f.locator('#resultBox:not([hidden])').waitFor({ timeout: 120_000 });
    const rows = f.locator('#results tbody tr');
    const n = await rows.count();
    const images = ['covid', 'normal', 'pneumonia'].flatMap((c) =>
      fs.readdirSync(path.join(workspace, 'xray', c)),
    );
    expect(n === images.length, `${n} rows for ${images.length} images`);
    await wb.shot('01-diagnosis-report');

    await f.locator('vscode-tab-header[data-tab="metrics"]').click();
    await f.locator('#metrics', { hasText: /accuracy/i }).waitFor({ timeout: 30_000 });
    const metrics = await f.locator('#metrics').innerText();
    expect(
      /accuracy[^\n]*\d\.\d{2,}/i.test(metrics),
      `no accuracy figure in the metrics tab: ${metrics.slice(0, 300)}`,
    );
    await wb.shot('01-diagnosis-metrics');

    await f.locator('vscode-tab-header[data-tab="results"]').click();
    await rows.first().click();
    const overlay = f.locator('#stack img[alt^="Heat map of"]');
    await overlay.waitFor({ timeout: 60_000 });
    const loaded = await overlay.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(loaded, 'the heat map image did not load');
    await wb.shot('01-diagnosis-heatmap');
  },
};
