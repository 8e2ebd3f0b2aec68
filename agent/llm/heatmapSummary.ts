/**
 * A heat-map summary for explanation prompts, read back from the overlay PNG a diagnosis run
 * wrote (agent/xray/heatmap.ts: grey image blended with colourOf(t) at opacity ∝ t). Subtracting
 * a pixel's smallest channel removes the grey part exactly, leaving a vector along
 * colourOf(t) - min(colourOf(t)): its direction (hue) gives the activation t. No model is run
 * again. The result is a few structured words: how focal, where, and how much at the border.
 */
import * as fs from 'node:fs';
import sharp from 'sharp';
import { colourOf } from '../xray/heatmap';

const STEPS = 256;

/** Unit hue directions of the colour map, one per activation step. */
const DIRECTIONS = (() => {
  const d = new Float32Array(STEPS * 3);
  for (let i = 0; i < STEPS; i++) {
    const c = colourOf(i / (STEPS - 1));
    const m = Math.min(...c);
    const v = [c[0] - m, c[1] - m, c[2] - m];
    const n = Math.hypot(v[0], v[1], v[2]) || 1;
    d.set([v[0] / n, v[1] / n, v[2] / n], i * 3);
  }
  return d;
})();

/** Below this chroma a pixel is grey: no activation drawn. */
const MIN_CHROMA = 6;

/** Activation 0..1 per pixel of an overlay (RGB or RGBA rows). */
export function activationFromOverlay(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Float32Array {
  const out = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const r = pixels[p * channels];
    const g = pixels[p * channels + 1];
    const b = pixels[p * channels + 2];
    const m = Math.min(r, g, b);
    const v0 = r - m;
    const v1 = g - m;
    const v2 = b - m;
    const n = Math.hypot(v0, v1, v2);
    if (n < MIN_CHROMA) continue;
    let best = 0;
    let bestCos = -2;
    for (let i = 0; i < STEPS; i++) {
      const cos = (v0 * DIRECTIONS[i * 3] + v1 * DIRECTIONS[i * 3 + 1] + v2 * DIRECTIONS[i * 3 + 2]) / n;
      // Pure blue (t below 1/8) and pure red (above 7/8) share one hue: placed below.
      if (cos > bestCos + 1e-6) {
        bestCos = cos;
        best = i;
      }
    }
    let t = best / (STEPS - 1);
    if (t <= 0.126) t = 0.06;
    else if (t >= 0.874) t = 0.94;
    out[p] = t;
  }
  return out;
}

function third(f: number, names: [string, string, string]): string {
  return f < 1 / 3 ? names[0] : f > 2 / 3 ? names[2] : names[1];
}

/** Words for a map of activations (0..1) over an image. Null when nothing is active. */
export function describeActivation(t: Float32Array, width: number, height: number): string | null {
  let weight = 0;
  let hot = 0;
  let cx = 0;
  let cy = 0;
  let border = 0;
  const mx = width * 0.1;
  const my = height * 0.1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = t[y * width + x];
      if (v < 0.5) continue;
      hot++;
      weight += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
      if (x < mx || x >= width - mx || y < my || y >= height - my) border += v;
    }
  }
  if (hot === 0) return null;
  const share = hot / (width * height);
  const spread = share < 0.05 ? 'focal' : share < 0.25 ? 'regional' : 'diffuse';
  const vertical = third(cy / weight / height, ['upper', 'middle', 'lower']);
  const horizontal = third(cx / weight / width, ['left', 'central', 'right']);
  const where =
    horizontal === 'central' && vertical === 'middle' ? 'the centre' : `the ${vertical} ${horizontal} part`;
  const side =
    horizontal === 'left'
      ? " (the patient's right on a standard frontal view)"
      : horizontal === 'right'
        ? " (the patient's left on a standard frontal view)"
        : '';
  const parts = [
    `${spread} activation for the predicted class (${Math.round(share * 100)}% of the image at half the peak or more), centred in ${where} of the image${side}`,
  ];
  const atBorder = border / weight;
  if (atBorder >= 0.3) {
    parts.push(
      `${Math.round(atBorder * 100)}% of it lies at the image border, where text, markers or collimation edges can act as shortcuts`,
    );
  }
  return parts.join('; ');
}

/** The summary of an overlay PNG on disk, or null when it cannot be read or shows nothing. */
export async function summariseOverlay(file: string): Promise<string | null> {
  if (!fs.existsSync(file)) return null;
  try {
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    if (info.channels < 3) return null;
    const t = activationFromOverlay(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      info.width,
      info.height,
      info.channels,
    );
    return describeActivation(t, info.width, info.height);
  } catch {
    return null;
  }
}
