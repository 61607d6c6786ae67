/**
 * The app's flow: a picture comes in → the form and mask say what to do → the worker plans the fit
 * (and measures the device) → the plan, backend and any size problem are shown, with the offers
 * (downscale, tiles, a quicker copy) → the fit runs in
 * the worker with live progress and previews → stop keeps the best → the result is compared and
 * downloaded. The page only draws; everything heavy is in the worker.
 */
import { toImageData, type Image } from '../../src/index.js';
import { backendSetting, pickBackend, verdictOf } from './backend-choice.js';
import type { CompareView } from './compare-view.js';
import { announce } from './dom.js';
import type { FitClient, FitEvent } from './fit-client.js';
import type { GpuInfo } from './gpu-probe.js';
import { decodePicture, pngOf, resultName, type Picture } from './image-file.js';
import type { LossChart } from './loss-chart.js';
import type { MaskEditor } from './mask-editor.js';
import { previewInterval, renderPlan, type PlanShown } from './plan-view.js';
import type { ProgressView } from './progress-view.js';
import { fitSeconds, LONG_RUN_SECONDS } from './quicker.js';
import type { FitImages, Preview } from './protocol.js';
import type { TaskForm } from './task-form.js';
import type { Ui } from './ui.js';

export interface Parts {
  ui: Ui;
  form: TaskForm;
  mask: MaskEditor;
  client: FitClient;
  compare: CompareView;
  chart: LossChart;
  progress: ProgressView;
  /** What WebGPU offers (asked while the page starts). */
  gpu: Promise<GpuInfo>;
  defaultThreads: number;
}

export class App {
  picture: Picture | null = null;
  private extra: Pick<FitImages, 'guide' | 'reference'> = {};
  private shown: PlanShown | null = null;
  private planTimer = 0;
  private planSerial = 0;
  /**
   * The preset the plan chose for the picture before it was downscaled: the size chooses the preset
   * when the form leaves it open, and a smaller copy would otherwise get a larger network, which may
   * not fit again. Cleared when another picture is opened.
   */
  private keptPreset: string | null = null;
  running = false;
  result: { preview: Preview; name: string } | null = null;

  constructor(private readonly p: Parts) {
    p.client.onEvent = (e) => this.onFitEvent(e);
  }

  async open(file: File): Promise<void> {
    const { ui } = this.p;
    try {
      this.picture = await decodePicture(file, file.name);
      this.keptPreset = null;
    } catch (e) {
      ui.say((e as Error).message, true);
      return;
    }
    this.showPicture(this.picture.pixels);
    ui.say(`Opened ${file.name}: ${this.picture.image.width} × ${this.picture.image.height} pixels.`);
    this.schedulePlan();
  }

  /** Form files (guide, reference) are decoded when they change. */
  async filesChanged(): Promise<void> {
    const { files } = this.p.form.read();
    const decoded: Pick<FitImages, 'guide' | 'reference'> = {};
    for (const [key, file] of Object.entries(files)) {
      try {
        decoded[key as 'guide' | 'reference'] = (await decodePicture(file, file.name)).image;
      } catch (e) {
        this.p.form.showProblem(key, (e as Error).message);
        return;
      }
    }
    this.extra = decoded;
    this.schedulePlan();
  }

  /** Plans again a moment after the last change (typing, painting). */
  schedulePlan(): void {
    clearTimeout(this.planTimer);
    this.planTimer = window.setTimeout(() => void this.plan(), 250);
  }

  async start(): Promise<void> {
    const { form, client, progress, chart, ui } = this.p;
    const images = this.images();
    if (!images || !this.shown?.verdict.fits || this.running) return;
    const settings = this.withKeptPreset(form.read().settings);
    client.ensure(Number(settings.threads ?? this.p.defaultThreads));
    this.running = true;
    this.result = null;
    chart.reset();
    progress.start(this.shown.plan.autoStop);
    ui.setRunning(true);
    client.start(settings, images, this.shown.pick, previewInterval(this.shown));
  }

  stop(): void {
    if (!this.running) return;
    this.p.client.stop();
    this.p.progress.phase('stopping: keeping the best estimate so far');
  }

  async download(): Promise<void> {
    if (!this.result) return;
    const { rgba, width, height } = this.result.preview;
    const blob = await pngOf(new ImageData(new Uint8ClampedArray(rgba), width, height));
    this.p.ui.offerDownload(blob, this.result.name);
  }

  /** Back from a result to the picture and its mask (to paint more, or change settings). */
  backToPicture(): void {
    this.p.compare.clearEstimate();
    this.result = null;
    this.p.ui.setResult(false);
  }

  private showPicture(pixels: ImageData): void {
    const { compare, mask, ui } = this.p;
    compare.showPicture(pixels);
    mask.reset(pixels.width, pixels.height);
    this.result = null;
    ui.setPicture(true);
    ui.setResult(false);
  }

  images(): FitImages | null {
    if (!this.picture) return null;
    const mask = this.p.form.acceptsMask ? this.p.mask.mask() : undefined;
    return { image: this.picture.image, ...(mask && { mask }), ...this.extra };
  }

  private async plan(): Promise<void> {
    const { form, client, ui } = this.p;
    const images = this.images();
    if (!images || this.running) return;
    const gpu = await this.p.gpu;
    const read = form.read();
    if (read.problems.length) return form.showProblem(read.problems[0].key, read.problems[0].message);
    read.settings = this.withKeptPreset(read.settings);
    const serial = ++this.planSerial;
    const tentative = pickBackend(backendSetting(read.settings), gpu, null);
    const answer = await client.plan(read.settings, images, tentative.backend);
    if (serial !== this.planSerial) return;
    if (answer.kind === 'invalid') {
      form.showProblem(answer.option, answer.message);
      ui.planProblem(answer.message);
      this.shown = null;
      return;
    }
    form.showProblem(undefined, '');
    const pick = pickBackend(backendSetting(read.settings), gpu, answer.plan);
    this.shown = { plan: answer.plan, pick, verdict: verdictOf(answer.plan, pick, gpu), gpu, speed: null };
    form.setPlaceholder('iterations', `from the preset: ${answer.plan.iterations}`);
    this.renderPlan();
    const speed = await client.calibrate(pick.backend);
    if (serial !== this.planSerial || !this.shown) return;
    this.shown.speed = speed.speed;
    this.renderPlan();
    await this.offerQuicker(serial, read.settings, images);
    await this.offerTiles(serial, read.settings, images);
  }

  /** A picture too large for this device in one fit gets the largest tiles that fit it. */
  private async offerTiles(serial: number, settings: Record<string, unknown>, images: FitImages): Promise<void> {
    // A newer plan may have been asked for while the quicker copy was found.
    const s = this.shown;
    if (serial !== this.planSerial || !s || s.verdict.fits) return;
    const { offer } = await this.p.client.tiles(settings, images, s.gpu);
    // Tiles under the GPU's buffer limit may run on WebGPU where the whole picture could not: time them there.
    const speed = offer && offer.backend !== s.pick.backend ? (await this.p.client.calibrate(offer.backend)).speed : s.speed;
    if (serial !== this.planSerial || this.shown !== s) return;
    s.tiles = offer && { ...offer, speed };
    this.renderPlan();
  }

  /** A fit that would run long here gets the largest copy that this device fits in a few minutes. */
  private async offerQuicker(serial: number, settings: Record<string, unknown>, images: FitImages): Promise<void> {
    const s = this.shown!;
    if (!s.speed || !s.verdict.fits || fitSeconds(s.speed, s.plan) <= LONG_RUN_SECONDS) return;
    const answer = await this.p.client.quicker(settings, images, s.pick.backend, s.plan, s.speed);
    if (serial !== this.planSerial || this.shown !== s) return;
    s.quicker = answer.quicker;
    this.renderPlan();
  }

  private renderPlan(): void {
    const s = this.shown!;
    renderPlan(this.p.ui.planRoot, s, {
      downscale: (size) => void this.downscale(size.width, size.height),
      tiles: (tileSize) => this.p.form.setText('tileSize', String(tileSize)),
    });
    this.p.ui.setStartable(s.verdict.fits);
  }

  private async downscale(width: number, height: number): Promise<void> {
    const { client, mask, ui } = this.p;
    const images = this.images();
    if (!images || !this.picture) return;
    if (isOpen(this.p.form.read().settings.preset) && this.shown) this.keptPreset = this.shown.plan.preset;
    const small = await client.downscale(images, width, height);
    const pixels = imageDataOf(small.image);
    this.picture = { ...this.picture, image: small.image, pixels };
    this.showPicture(pixels);
    if (small.mask) mask.addMaskFile(small.mask);
    ui.say(`Downscaled to ${width} × ${height} pixels.`);
    this.schedulePlan();
  }

  private withKeptPreset(settings: Record<string, unknown>): Record<string, unknown> {
    return isOpen(settings.preset) && this.keptPreset ? { ...settings, preset: this.keptPreset } : settings;
  }

  private onFitEvent(e: FitEvent): void {
    const { progress, chart, compare, ui } = this.p;
    if (e.kind === 'backend') ui.showBackend(e.pick, this.shown?.pick);
    else if (e.kind === 'phase') progress.phase(e.text);
    else if (e.kind === 'progress') {
      progress.update(e.latest);
      chart.add(e.entries);
    } else if (e.kind === 'preview') {
      compare.showEstimate(e.preview);
      ui.previewShown(e.preview.iteration);
    } else if (e.kind === 'done') this.finished(e);
    else if (e.kind === 'error') this.failed(e.message);
  }

  private finished(e: Extract<FitEvent, { kind: 'done' }>): void {
    const { progress, compare, ui, form } = this.p;
    this.running = false;
    compare.showEstimate(e.preview);
    ui.previewShown(e.summary.bestIteration, true);
    this.result = { preview: e.preview, name: resultName(this.picture?.name ?? 'picture', form.task) };
    const s = e.summary;
    const why = { auto: 'stopped on its own', ceiling: 'reached the ceiling', fixed: 'ran its iterations', aborted: 'stopped', diverged: 'diverged' }[
      s.stopReason
    ];
    progress.finish(`Done: ${why} after ${s.iterations} iterations; the result is iteration ${s.bestIteration}`);
    ui.setRunning(false);
    ui.setResult(true);
    announce('The result is ready.');
  }

  private failed(message: string): void {
    this.running = false;
    this.p.progress.phase('failed');
    this.p.ui.setRunning(false);
    this.p.ui.say(message, true);
  }
}

function imageDataOf(image: Image): ImageData {
  const d = toImageData(image);
  return new ImageData(new Uint8ClampedArray(d.data), d.width, d.height);
}

/** A preset the size chooses: not set, or `auto`. */
const isOpen = (preset: unknown) => preset === undefined || preset === 'auto';
