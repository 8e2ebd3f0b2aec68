import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { silentContext } from '../../agent/runContext';
import { configure, settings } from '../../agent/settings';
import { readResults } from '../../agent/xray/results';
import { watchFolder, type WatchEvent } from '../../agent/xray/watch';
import { tempDir, writeModelFolder } from '../models/support/modelFolder';
import { classFolders, grayPixels, LEVEL } from './support/dataset';

const MODEL = 'watch-cam';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('medlab watch (folder watching)', () => {
  const previous = settings().modelsDirectory;
  before(() => {
    const models = tempDir();
    writeModelFolder(models, { id: MODEL });
    configure({ modelsDirectory: models, threads: 1 });
  });
  after(() => configure({ modelsDirectory: previous ?? '' }));

  it('diagnoses what is there, then each arrival, including files still being written', async function () {
    this.timeout(60000);
    const data = tempDir('medlab-watch-');
    await classFolders(data, 1);
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    const done = watchFolder(
      { path: data, model: MODEL, settleMs: 300 },
      silentContext(controller.signal),
      (e) => events.push(e),
    );
    const rowsFor = (rel: string) => events.filter((e) => e.row?.path === rel).map((e) => e.row!);
    try {
      await until('the initial images', () => events.some((e) => e.kind === 'ready'));
      assert.equal(events.filter((e) => e.kind === 'diagnosed').length, 3);

      // A complete file that arrives.
      const png = await sharp(grayPixels(LEVEL.pneumonia, 64, 64, 5), {
        raw: { width: 64, height: 64, channels: 1 },
      })
        .png()
        .toBuffer();
      fs.writeFileSync(path.join(data, 'pneumonia', 'new.png'), png);
      await until('new.png', () => rowsFor('pneumonia/new.png').length > 0);
      assert.equal(rowsFor('pneumonia/new.png')[0].prediction, 'pneumonia');
      assert.equal(rowsFor('pneumonia/new.png')[0].label, 'pneumonia');

      // A slow copy: half the file, a pause longer than the settle time, then the rest.
      const big = await sharp(grayPixels(LEVEL.covid, 400, 400, 6), {
        raw: { width: 400, height: 400, channels: 1 },
      })
        .png({ compressionLevel: 0 })
        .toBuffer();
      const slow = path.join(data, 'covid', 'slow.png');
      fs.writeFileSync(slow, big.subarray(0, big.length >> 1));
      await sleep(900);
      fs.appendFileSync(slow, big.subarray(big.length >> 1));
      await until('slow.png diagnosed whole', () => rowsFor('covid/slow.png').some((r) => r.error === null));
      const last = rowsFor('covid/slow.png').at(-1)!;
      assert.equal(last.error, null);
      assert.equal(last.prediction, 'covid');

      fs.writeFileSync(path.join(data, 'readme.txt'), 'not an image');
      await sleep(800);
    } finally {
      controller.abort();
      await done;
    }
    const results = await readResults(path.join(data, '.medlab', MODEL, 'results.json'));
    assert.deepEqual(
      results.rows.map((r) => r.path),
      [
        'covid/img_0000.png',
        'covid/slow.png',
        'normal/img_0000.png',
        'pneumonia/img_0000.png',
        'pneumonia/new.png',
      ],
    );
    assert.ok(results.rows.every((r) => r.error === null && r.prediction === r.label));
    assert.ok(results.skipped.some((s) => s.path === 'readme.txt'));
  });
});
