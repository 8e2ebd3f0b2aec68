/** The heat-map summary read back from overlays drawn by the diagnosis run's own overlay code. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { activationFromOverlay, describeActivation, summariseOverlay } from '../../agent/llm/heatmapSummary';
import { overlay, type CamMap } from '../../agent/xray/heatmap';
import type { GrayImage } from '../../agent/xray/decode/grayImage';
import { tempDir } from './support/fixtures';

const SIZE = 96;

/** A textured grey image and a CAM with one Gaussian blob at (bx, by) in 0..1 coordinates. */
function draw(bx: number, by: number, sigma = 0.08) {
  const image: GrayImage = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE) };
  for (let i = 0; i < image.data.length; i++) image.data[i] = 60 + ((i * 37) % 120);
  const cam: CamMap = { width: 12, height: 12, data: new Float32Array(144) };
  for (let y = 0; y < 12; y++) {
    for (let x = 0; x < 12; x++) {
      const dx = (x + 0.5) / 12 - bx;
      const dy = (y + 0.5) / 12 - by;
      cam.data[y * 12 + x] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
    }
  }
  const geometry = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 };
  return { image, cam, out: overlay(image, cam, geometry, { width: SIZE, height: SIZE }) };
}

describe('heat-map summary from an overlay', () => {
  it('recovers the activation the overlay was drawn with (grey removed by the smallest channel)', () => {
    const { out } = draw(0.5, 0.5, 0.2);
    const t = activationFromOverlay(out.rgb, out.width, out.height, 3);
    // Compare with the CAM value bilinearly drawn at a few pixels: centre high, corner low.
    assert.ok(t[(SIZE / 2) * SIZE + SIZE / 2] > 0.85);
    assert.ok(t[2 * SIZE + 2] < 0.2);
  });

  it('says where and how focal the activation is, with the side of the patient', () => {
    const lowerRight = draw(0.75, 0.8);
    const words = describeActivation(activationFromOverlay(lowerRight.out.rgb, SIZE, SIZE, 3), SIZE, SIZE);
    assert.match(
      words ?? '',
      /^focal activation .* centred in the lower right part of the image \(the patient's left/,
    );
    const upperLeft = describeActivation(
      activationFromOverlay(draw(0.2, 0.2).out.rgb, SIZE, SIZE, 3),
      SIZE,
      SIZE,
    );
    assert.match(upperLeft ?? '', /upper left part .*patient's right/);
    const wide = describeActivation(
      activationFromOverlay(draw(0.5, 0.5, 0.5).out.rgb, SIZE, SIZE, 3),
      SIZE,
      SIZE,
    );
    assert.match(wide ?? '', /^diffuse activation .* centred in the centre of the image/);
  });

  it('points at activation on the image border (a shortcut warning)', () => {
    const corner = describeActivation(
      activationFromOverlay(draw(0.02, 0.03, 0.06).out.rgb, SIZE, SIZE, 3),
      SIZE,
      SIZE,
    );
    assert.match(corner ?? '', /\d+% of it lies at the image border/);
    const centre = describeActivation(
      activationFromOverlay(draw(0.5, 0.5).out.rgb, SIZE, SIZE, 3),
      SIZE,
      SIZE,
    );
    assert.doesNotMatch(centre ?? '', /border/);
  });

  it('reads a PNG from disk; a grey image or a missing file gives nothing', async () => {
    const dir = tempDir('medlab-heatmap-');
    const { out } = draw(0.3, 0.7);
    const file = path.join(dir, 'x.png');
    fs.writeFileSync(
      file,
      await sharp(out.rgb, { raw: { width: out.width, height: out.height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    assert.match((await summariseOverlay(file)) ?? '', /lower left part/);
    const grey = path.join(dir, 'grey.png');
    fs.writeFileSync(
      grey,
      await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 90, g: 90, b: 90 } } })
        .png()
        .toBuffer(),
    );
    assert.equal(await summariseOverlay(grey), null);
    assert.equal(await summariseOverlay(path.join(dir, 'missing.png')), null);
  });
});
