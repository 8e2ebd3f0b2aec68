/** Driving the VS Code web workbench in Debian's Chromium, as a person would (selectors from notes/vscode-e2e.md). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export interface Workbench {
  browser: Browser;
  page: Page;
  /** Requests that left 127.0.0.1 (must stay empty). */
  outside: string[];
  shotsDir: string;
  shot(name: string): Promise<string>;
  runCommand(title: string): Promise<void>;
  explorerRow(name: string): Locator;
  showExplorer(): Promise<void>;
  showMedLab(): Promise<void>;
  contextPick(row: Locator, item: string): Promise<void>;
  contextItems(row: Locator): Promise<string[]>;
  sidebarItems(): Locator;
  webviewFrame(predicate: (f: Frame) => Promise<boolean>, timeoutMs?: number): Promise<Frame>;
  toast(text: string | RegExp): Locator;
  close(): Promise<void>;
}

export async function openWorkbench(url: string, folder: string, shotsDir: string): Promise<Workbench> {
  fs.mkdirSync(shotsDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const outside: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    // *.vscode-resource.vscode-cdn.net is virtual: the webview's service worker answers it from the server.
    if (
      /^https?:$/.test(u.protocol) &&
      u.hostname !== '127.0.0.1' &&
      !u.hostname.endsWith('.vscode-resource.vscode-cdn.net')
    ) {
      outside.push(r.url());
    }
  });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  const explorerRow = (name: string) =>
    page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);

  async function openMenu(row: Locator): Promise<void> {
    await row.click({ button: 'right' });
    await page.locator('.context-view .monaco-menu .action-item').first().waitFor();
  }

  return {
    browser,
    page,
    outside,
    shotsDir,
    async shot(name) {
      const p = path.join(shotsDir, `${name}.png`);
      await page.screenshot({ path: p });
      return p;
    },
    async runCommand(title) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('>' + title);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
      await input.press('Enter');
      await input.waitFor({ state: 'hidden' });
    },
    explorerRow,
    // Activity-bar clicks toggle the side bar; these open it whatever its state.
    async showExplorer() {
      await this.runCommand('View: Show Explorer');
      await page.locator('.explorer-folders-view').waitFor({ timeout: 30_000 });
    },
    async showMedLab() {
      const item = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label="MedLab"]') });
      if (!((await item.getAttribute('class')) ?? '').includes('checked')) await item.click();
      await page
        .locator('.part.sidebar .pane-header', { hasText: /X-ray Datasets/i })
        .first()
        .waitFor({ timeout: 30_000 });
    },
    async contextPick(row, item) {
      await openMenu(row);
      const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
      await entry.waitFor();
      await entry.hover();
      await entry.click({ delay: 50 });
      await entry.waitFor({ state: 'hidden' });
    },
    async contextItems(row) {
      await openMenu(row);
      const labels = await page.locator('.context-view .monaco-menu .action-label').allInnerTexts();
      await page.keyboard.press('Escape');
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
      return labels.map((l) => l.trim()).filter(Boolean);
    },
    sidebarItems: () => page.locator('.part.sidebar .monaco-list-row'),
    async webviewFrame(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const f of page.frames()) {
          if (!f.url().includes('fake.html')) continue;
          try {
            if (await predicate(f)) return f;
          } catch {
            // frame still loading
          }
        }
        await page.waitForTimeout(200);
      }
      throw new Error('webview not found');
    },
    toast: (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first(),
    close: () => browser.close(),
  };
}

/** Pixels on a canvas that are drawn (alpha > 0 and not near-white). An undrawn canvas is transparent. */
export async function canvasInk(frame: Frame, selector: string): Promise<number> {
  return frame.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c) return -1;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
    return ink;
  }, selector);
}
