import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { GENERATED_IMAGE_LABEL } from '../../../agent/protocol';
import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

const PROMPT = 'scientific illustration of brain waves, clean vector style';

async function panelFrame(ctx: Parameters<Scenario['run']>[0]): Promise<Frame> {
  return ctx.wb.webviewFrame(async (f) => (await f.locator('#generate').count()) > 0, 60_000);
}

/**
 * 4b. "MedLab: Generate Illustration" from the palette: the server is detected (kind shown), a
 * prompt and two seeds give two labelled images side by side, Save writes the PNG (with its
 * sidecar) into illustrations/ of the workspace, and "Regenerate Illustration" on that PNG in the
 * Explorer opens the panel prefilled from its metadata.
 */
export const imagegen: Scenario = {
  name: 'imagegen: Generate Illustration from the palette, two seeds, Save writes a PNG',
  async run(ctx) {
    const { wb, workspace } = ctx;
    const before = ctx.imagegen.requests.filter((r) => r.path === '/sdapi/v1/txt2img').length;
    await wb.runCommand('MedLab: Generate Illustration');
    const f = await panelFrame(ctx);
    await f.locator('#server', { hasText: '(a1111)' }).waitFor({ timeout: 30_000 });
    const server = await f.locator('#server').innerText();
    expect(server.includes(ctx.imagegen.url), `#server does not name ${ctx.imagegen.url}: ${server}`);
    await f.locator('#loras', { hasText: 'brainwave-style' }).waitFor({ timeout: 10_000 });

    await f.locator('#prompt textarea').fill(PROMPT);
    await f.locator('#width input').fill('512');
    await f.locator('#height input').fill('512');
    await f.locator('#steps input').fill('12');
    await f.locator('#seed input').fill('4242');
    await f.locator('#count input').fill('2');
    const lora = f.locator('#loraRows .lora[data-name="brainwave-style"]');
    await lora.locator('vscode-checkbox').click();
    await lora.locator('vscode-textfield input').fill('0.5');
    await f.locator('#generate').click();
    await f.locator('#cancel:not([disabled])').waitFor({ timeout: 10_000 });

    const figures = f.locator('#images figure');
    await figures.nth(1).waitFor({ timeout: 60_000 });
    expect((await figures.count()) === 2, `expected 2 images, got ${await figures.count()}`);
    for (let i = 0; i < 2; i++) {
      const text = await figures.nth(i).innerText();
      expect(text.includes(GENERATED_IMAGE_LABEL), `image ${i + 1} lacks the label: ${text}`);
      expect(text.includes(`seed ${4242 + i}`), `image ${i + 1} lacks its seed: ${text}`);
      const decoded = await figures
        .nth(i)
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
      expect(decoded, `image ${i + 1} is not shown`);
    }
    const sent = ctx.imagegen.requests.filter((r) => r.path === '/sdapi/v1/txt2img').slice(before);
    expect(sent.length === 2, `the server got ${sent.length} txt2img requests, not 2`);
    expect(
      sent.every((r) => (r.body as { prompt?: string }).prompt === `${PROMPT} <lora:brainwave-style:0.5>`),
      `the prompt and LoRA chosen are not what was sent: ${JSON.stringify(sent[0].body)}`,
    );
    await wb.shot('04b-imagegen');

    await figures.nth(0).locator('.save').click();
    const saved = figures.nth(0).locator('.saved', { hasText: /Saved illustrations\// });
    await saved.waitFor({ timeout: 30_000 });
    const rel = /Saved (illustrations\/\S+\.png)/.exec(await saved.innerText())?.[1];
    expect(rel, `no saved path in: ${await saved.innerText()}`);
    const png = path.join(workspace, rel);
    expect(fs.existsSync(png), `${png} was not written`);
    expect(fs.readFileSync(png).subarray(1, 4).toString('latin1') === 'PNG', `${rel} is not a PNG`);
    const sidecar = JSON.parse(fs.readFileSync(png.replace(/\.png$/, '.json'), 'utf8')) as {
      label: string;
      seed: number;
      prompt: string;
    };
    expect(
      sidecar.label === GENERATED_IMAGE_LABEL && sidecar.seed === 4242 && sidecar.prompt === PROMPT,
      `sidecar does not hold the provenance: ${JSON.stringify(sidecar)}`,
    );

    // Cancel while the server reports steps: the request stops and the server is interrupted.
    const interrupts = ctx.imagegen.interrupts;
    await f.locator('#count input').fill('4');
    await f.locator('#generate').click();
    await f.locator('#status', { hasText: /image 1\/4: step/ }).waitFor({ timeout: 30_000 });
    await f.locator('#cancel').click();
    await f.locator('#status', { hasText: 'Cancelled' }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < 50 && ctx.imagegen.interrupts === interrupts; i++) await wb.page.waitForTimeout(100);
    expect(ctx.imagegen.interrupts === interrupts + 1, 'Cancel did not call the server interrupt');
    expect((await figures.count()) === 2, 'the images of the earlier run are gone after a cancel');

    // Regenerate from the saved PNG: Explorer context menu, panel prefilled from its metadata
    // (the LoRA is switched off first, so the prefill has to switch it on again).
    await lora.locator('vscode-checkbox').click();
    await wb.showExplorer();
    const folder = wb.explorerRow('illustrations');
    await folder.waitFor({ timeout: 30_000 });
    await folder.click();
    const file = wb.explorerRow(path.basename(rel));
    await file.waitFor({ timeout: 30_000 });
    await wb.contextPick(file, 'Regenerate Illustration');
    const g = await panelFrame(ctx);
    await g.locator('#status', { hasText: 'Prefilled from' }).waitFor({ timeout: 30_000 });
    expect(
      (await g.locator('#seed input').inputValue()) === '4242' &&
        (await g.locator('#count input').inputValue()) === '1',
      'the form is not prefilled with the saved seed and one image',
    );
    expect(
      (await g.locator('#prompt textarea').inputValue()) === PROMPT,
      'the form is not prefilled with the saved prompt',
    );
    const prefilledLora = g.locator('#loraRows .lora[data-name="brainwave-style"]');
    expect(
      (await prefilledLora.locator('vscode-checkbox').evaluate((c) => (c as HTMLInputElement).checked)) &&
        (await prefilledLora.locator('vscode-textfield input').inputValue()) === '0.5',
      'the saved LoRA and its weight are not prefilled',
    );
    await wb.shot('04b-imagegen-regenerate');

    // Wrong URL (the Ollama double answers HTTP, but is no image server), then nothing listening.
    for (const [url, says] of [
      [ctx.ollama.url, 'Not an image server (wrong URL?)'],
      ['http://127.0.0.1:9', 'Image server not reachable'],
    ]) {
      await g.locator('#serverUrl input').fill(url);
      await g.locator('#connect').click();
      await g.locator('#server', { hasText: says }).waitFor({ timeout: 15_000 });
    }
    await g.locator('#serverUrl input').fill(ctx.imagegen.url);
    await g.locator('#connect').click();
    await g.locator('#server', { hasText: '(a1111)' }).waitFor({ timeout: 15_000 });
  },
};
