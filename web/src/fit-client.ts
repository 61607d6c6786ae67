/**
 * The page's handle on the fit worker: requests with answers (plan, device speed, quicker copy, tiles, downscale) as
 * promises, the images sent only when they change, and a running fit's events to a listener. The
 * worker is started again when the WebAssembly thread count changes (onnxruntime-web reads it once).
 */
import type { DeviceSpeed } from './calibrate.js';
import type { GpuInfo } from './gpu-probe.js';
import type { FitPlan } from './plan-estimate.js';
import type { BackendPick, FitImages, FromWorker, Settings, ToWorker } from './protocol.js';

type Answer = Extract<FromWorker, { id: number }>;
export type FitEvent = Exclude<FromWorker, { id: number }>;

export class FitClient {
  private worker!: Worker;
  private nextId = 1;
  private waiting = new Map<number, (m: Answer) => void>();
  private sent: FitImages | null = null;
  private threads = 0;
  onEvent: (e: FitEvent) => void = () => {};

  constructor(private readonly wasmPaths: string) {}

  /** Starts (or restarts) the worker for a thread count. */
  ensure(threads: number): void {
    if (this.threads === threads) return;
    this.worker?.terminate();
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'deep-prior fit' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.onEvent({ kind: 'error', message: `the fit worker failed: ${e.message}` });
    this.threads = threads;
    this.sent = null;
    this.post({ kind: 'init', wasmPaths: this.wasmPaths, threads });
  }

  plan(settings: Settings, images: FitImages, backend: BackendPick['backend']) {
    this.sendImages(images);
    return this.ask<'plan' | 'invalid'>((id) => ({ kind: 'plan', id, settings, backend }));
  }

  calibrate(backend: BackendPick['backend']) {
    return this.ask<'calibrated'>((id) => ({ kind: 'calibrate', id, backend }));
  }

  /** The quicker copy for a long fit (web/src/quicker.ts), planned in the worker. */
  quicker(settings: Settings, images: FitImages, backend: BackendPick['backend'], plan: FitPlan, speed: DeviceSpeed) {
    this.sendImages(images);
    return this.ask<'quicker'>((id) => ({ kind: 'quicker', id, settings, backend, plan, speed }));
  }

  /** The tiles a picture too large for this device fits in (web/src/tiles.ts), found in the worker. */
  tiles(settings: Settings, images: FitImages, gpu: GpuInfo) {
    this.sendImages(images);
    return this.ask<'tiles'>((id) => ({ kind: 'tiles', id, settings, gpu }));
  }

  async downscale(images: FitImages, width: number, height: number): Promise<FitImages> {
    this.sendImages(images);
    const answer = await this.ask<'downscaled'>((id) => ({ kind: 'downscale', id, width, height }));
    this.sent = { ...images, ...answer.images };
    return this.sent;
  }

  start(settings: Settings, images: FitImages, pick: BackendPick, previewEvery: number): void {
    this.sendImages(images);
    this.post({ kind: 'start', settings, pick, previewEvery });
  }

  stop(): void {
    this.post({ kind: 'stop' });
  }

  private sendImages(images: FitImages): void {
    const s = this.sent;
    if (s && s.image === images.image && s.mask === images.mask && s.guide === images.guide && s.reference === images.reference) return;
    this.post({ kind: 'images', images });
    this.sent = images;
  }

  private ask<K extends Answer['kind']>(make: (id: number) => ToWorker): Promise<Extract<Answer, { kind: K }>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (m: Answer) => void);
      this.post(make(id));
    });
  }

  private receive(m: FromWorker): void {
    if ('id' in m) {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    } else this.onEvent(m);
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }
}
