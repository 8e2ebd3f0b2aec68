import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

/** 3. The MedLab views list the datasets, recordings and models. */
export const views: Scenario = {
  name: 'MedLab views list datasets, recordings and models',
  async run({ wb }) {
    await wb.showMedLab();
    const items = wb.sidebarItems();
    await items.filter({ hasText: 'eeg1020_alpha_artefacts.edf' }).first().waitFor({ timeout: 60_000 });
    await items
      .filter({ hasText: /Execution provider: (CPU|CUDA)/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await items.filter({ hasText: 'xray' }).first().waitFor({ timeout: 60_000 });
    const texts = await items.allInnerTexts();
    expect(
      texts.some((t) => /eeg1020_gaps\.edf/.test(t)),
      `EDF+D sample missing from EEG Recordings: ${texts.join(' | ')}`,
    );
    expect(
      texts.some((t) => /19 ch|20 ch/.test(t)),
      `no channel count shown: ${texts.join(' | ')}`,
    );
    expect(
      texts.some((t) => /X-ray classification/.test(t)),
      `no X-ray model listed: ${texts.join(' | ')}`,
    );
    await wb.shot('03-views');
    await wb.showExplorer();
  },
};
