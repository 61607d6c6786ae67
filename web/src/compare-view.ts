/**
 * The stage: the picture, the mask overlay on it, and the estimate over both — the fit's live
 * preview, then its result — with a before/after split the user drags (or moves with the arrow keys:
 * it is a labelled range input). A super-resolved result is larger than its input; both are shown
 * at the same displayed size.
 */
import type { Preview } from './protocol.js';

export class CompareView {
  constructor(
    private readonly before: HTMLCanvasElement,
    private readonly after: HTMLCanvasElement,
    private readonly split: HTMLInputElement,
    private readonly splitControl: HTMLElement,
  ) {
    split.addEventListener('input', () => this.applySplit());
    this.applySplit();
  }

  showPicture(pixels: ImageData): void {
    this.before.width = pixels.width;
    this.before.height = pixels.height;
    this.before.getContext('2d')!.putImageData(pixels, 0, 0);
    this.clearEstimate();
  }

  showEstimate(p: Preview): void {
    if (this.after.width !== p.width || this.after.height !== p.height) {
      this.after.width = p.width;
      this.after.height = p.height;
    }
    this.after.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(p.rgba), p.width, p.height), 0, 0);
    this.after.hidden = false;
    this.splitControl.hidden = false;
  }

  clearEstimate(): void {
    this.after.hidden = true;
    this.splitControl.hidden = true;
  }

  get showingEstimate(): boolean {
    return !this.after.hidden;
  }

  private applySplit(): void {
    this.after.style.clipPath = `inset(0 0 0 ${this.split.value}%)`;
    this.split.setAttribute('aria-valuetext', `${this.split.value} % before, ${100 - Number(this.split.value)} % after`);
  }
}
