/** A Canvas2D that records the calls made on it (tests and the Node half of the render bench). */
import type { Canvas2D, ImageLike } from '../../webview/eeg-viewer/draw';

export class CanvasRecorder implements Canvas2D {
  fillStyle: unknown = '';
  strokeStyle: unknown = '';
  lineWidth = 1;
  font = '';
  textAlign = 'left';
  textBaseline = 'alphabetic';
  globalAlpha = 1;
  /** Every call as [name, ...args]; moveTo/lineTo only counted unless `keep` is set. */
  readonly calls: unknown[][] = [];
  moves = 0;
  lines = 0;
  strokes = 0;
  images = 0;
  readonly texts: string[] = [];

  constructor(private readonly keep = false) {}

  beginPath(): void {
    if (this.keep) this.calls.push(['beginPath']);
  }
  moveTo(x: number, y: number): void {
    this.moves++;
    if (this.keep) this.calls.push(['moveTo', x, y]);
  }
  lineTo(x: number, y: number): void {
    this.lines++;
    if (this.keep) this.calls.push(['lineTo', x, y]);
  }
  stroke(): void {
    this.strokes++;
    if (this.keep) this.calls.push(['stroke', this.strokeStyle]);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    if (this.keep) this.calls.push(['fillRect', x, y, w, h, this.fillStyle]);
  }
  fillText(text: string, x: number, y: number): void {
    this.texts.push(text);
    if (this.keep) this.calls.push(['fillText', text, x, y]);
  }
  putImageData(image: ImageLike, dx: number, dy: number): void {
    this.images++;
    if (this.keep) this.calls.push(['putImageData', image.width, image.height, dx, dy]);
  }
  save(): void {}
  restore(): void {}
}
