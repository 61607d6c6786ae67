/**
 * The mask editor: paint over what should be filled (text, objects, watermarks, scratches) on an
 * overlay canvas the picture's size. Brush and eraser with an adjustable size, undo, a mask file
 * (white = keep, black = fill, as on the command line) and a mask from a colour. Keyboard: arrow
 * keys move the brush (Shift: faster), Space paints, [ and ] resize, B and E switch tools, Ctrl+Z
 * undoes. The mask handed to the fit is the library's: 1 = known pixel, 0 = to fill.
 */
import { createImage, maskFromColor, maskFromImage, type Image, type Rgb255 } from '../../src/index.js';

export type Tool = 'brush' | 'eraser';

/** Undo snapshots are whole overlays: keep at most this many bytes of them. */
const UNDO_BYTES = 256 * 1024 * 1024;

export class MaskEditor {
  tool: Tool = 'brush';
  size = 24;
  private ctx: CanvasRenderingContext2D;
  private undoStack: ImageData[] = [];
  private last: { x: number; y: number } | null = null;
  private cursor = { x: 0, y: 0 };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly ring: HTMLElement,
    private readonly onChange: () => void,
  ) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    for (const end of ['pointerup', 'pointercancel', 'pointerleave']) canvas.addEventListener(end, () => this.endStroke());
    canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** A new picture: an empty mask of its size. */
  reset(width: number, height: number): void {
    this.canvas.width = width;
    this.canvas.height = height;
    this.undoStack = [];
    this.cursor = { x: width / 2, y: height / 2 };
    this.onChange();
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** The mask for the fit (1 = known, 0 = to fill), or undefined when nothing is painted. */
  mask(): Image | undefined {
    const { width, height } = this.canvas;
    if (!width) return undefined;
    const alpha = this.ctx.getImageData(0, 0, width, height).data;
    const out = createImage(width, height, 1);
    let painted = false;
    for (let i = 0; i < width * height; i++) {
      const fill = alpha[4 * i + 3] >= 128;
      out.data[i] = fill ? 0 : 1;
      painted ||= fill;
    }
    return painted ? out : undefined;
  }

  /** Adds a mask file's holes (black = fill) to the painting. */
  addMaskFile(file: Image): void {
    this.addHoles(maskFromImage(file));
  }

  /** Adds every pixel of `picture` within `tolerance` of `color` to the painting. */
  addColour(picture: Image, color: Rgb255 | string, tolerance: number): void {
    this.addHoles(maskFromColor(picture, color, tolerance));
  }

  undo(): void {
    const prev = this.undoStack.pop();
    if (!prev) return;
    this.ctx.putImageData(prev, 0, 0);
    this.onChange();
  }

  clear(): void {
    this.snapshot();
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.onChange();
  }

  private addHoles(mask: Image): void {
    const { width, height } = this.canvas;
    if (mask.width !== width || mask.height !== height) {
      throw new Error(`the mask is ${mask.width}×${mask.height} pixels, the picture ${width}×${height}: use a mask of the picture's size`);
    }
    this.snapshot();
    const holes = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) if (mask.data[i] < 0.5) holes.data.set([255, 0, 64, 255], 4 * i);
    const layer = new OffscreenCanvas(width, height);
    layer.getContext('2d')!.putImageData(holes, 0, 0);
    this.ctx.globalCompositeOperation = 'source-over';
    this.ctx.drawImage(layer, 0, 0);
    this.onChange();
  }

  private snapshot(): void {
    const { width, height } = this.canvas;
    this.undoStack.push(this.ctx.getImageData(0, 0, width, height));
    const keep = Math.max(3, Math.floor(UNDO_BYTES / (4 * width * height)));
    if (this.undoStack.length > keep) this.undoStack.shift();
  }

  private pointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.snapshot();
    this.last = null;
    this.dab(this.toPixels(e));
  }

  private pointerMove(e: PointerEvent): void {
    const p = this.toPixels(e);
    this.cursor = p;
    this.showRing();
    if (e.buttons & 1 && this.undoStack.length) this.dab(p);
  }

  private endStroke(): void {
    if (this.last) this.onChange();
    this.last = null;
  }

  /** Paints from the last point to `p` with round ends (a stroke of dabs). */
  private dab(p: { x: number; y: number }): void {
    const c = this.ctx;
    c.globalCompositeOperation = this.tool === 'eraser' ? 'destination-out' : 'source-over';
    c.strokeStyle = c.fillStyle = 'rgb(255, 0, 64)';
    c.lineWidth = this.size;
    c.lineCap = c.lineJoin = 'round';
    c.beginPath();
    const from = this.last ?? p;
    c.moveTo(from.x, from.y);
    c.lineTo(p.x + (from === p ? 0.01 : 0), p.y);
    c.stroke();
    this.last = p;
  }

  private toPixels(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private key(e: KeyboardEvent): void {
    const step = e.shiftKey ? 32 : 4;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) this.moveCursor(...moves[e.key]);
    else if (e.key === ' ' || e.key === 'Enter') this.keyDab();
    else if (e.key === '[' || e.key === ']') this.resize(e.key === ']' ? 1.25 : 0.8);
    else if (e.key === 'b' || e.key === 'e') this.tool = e.key === 'b' ? 'brush' : 'eraser';
    else if (e.key === 'z' && (e.ctrlKey || e.metaKey)) this.undo();
    else return;
    e.preventDefault();
    this.canvas.dispatchEvent(new CustomEvent('maskstate'));
  }

  private moveCursor(dx: number, dy: number): void {
    const { width, height } = this.canvas;
    this.cursor = { x: Math.min(width, Math.max(0, this.cursor.x + dx)), y: Math.min(height, Math.max(0, this.cursor.y + dy)) };
    this.showRing();
  }

  private keyDab(): void {
    this.snapshot();
    this.last = null;
    this.dab(this.cursor);
    this.last = null;
    this.onChange();
  }

  resize(factor: number): void {
    this.size = Math.round(Math.min(400, Math.max(1, this.size * factor)));
    this.showRing();
  }

  /** The brush outline at the cursor (CSS pixels). */
  private showRing(): void {
    const r = this.canvas.getBoundingClientRect();
    const k = r.width / (this.canvas.width || 1);
    const d = this.size * k;
    Object.assign(this.ring.style, { width: `${d}px`, height: `${d}px`, left: `${this.cursor.x * k - d / 2}px`, top: `${this.cursor.y * k - d / 2}px` });
    this.ring.hidden = false;
  }
}
