/**
 * The fit worker: everything heavy happens here, off the page's thread, so the page never freezes —
 * checking the request, planning, measuring the device, resampling, and the fit itself (restoreWith
 * on onnxruntime-web). The fit reports batched progress and previews; 'stop' aborts it, which
 * returns the best estimate so far. A fit that fails on WebGPU runs again on WebAssembly, saying why.
 */
import { DeepPriorError, EngineError, restoreWith, type Image, type RestoreHooks } from '../../src/index.js';
import type { Platform } from '../../src/runtime/engine.js';
import { webPlatform } from '../../src/runtime/platform-web.js';
import { backendSetting, judgeOnPick, pickBackend } from './backend-choice.js';
import { deviceSpeed, type DeviceSpeed } from './calibrate.js';
import { downscaled } from './downscale.js';
import { planFit } from './plan-estimate.js';
import { ProgressBatch } from './progress-batch.js';
import type { BackendPick, FitImages, FromWorker, Preview, Settings, ToWorker } from './protocol.js';
import { previewOf } from './preview.js';
import { quickerCopy } from './quicker.js';
import { tileOffer } from './tiles.js';
import { validRequest } from './request.js';

const scope = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null };
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

let platform: Platform | null = null;
let images: FitImages | null = null;
let controller: AbortController | null = null;
const speeds = new Map<string, Promise<DeviceSpeed>>();

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.kind === 'init') platform = webPlatform({ wasmPaths: m.wasmPaths, threads: m.threads });
  else if (m.kind === 'images') images = m.images;
  else if (m.kind === 'stop') controller?.abort();
  else if (m.kind === 'plan') void answerPlan(m.id, m.settings, m.backend);
  else if (m.kind === 'calibrate') void answerCalibrate(m.id, m.backend);
  else if (m.kind === 'downscale') answerDownscale(m.id, m.width, m.height);
  else if (m.kind === 'quicker') void answerQuicker(m);
  else if (m.kind === 'tiles') void answerTiles(m);
  else if (m.kind === 'start') void runFit(m.settings, m.pick, m.previewEvery);
};

/** The checked request of the current images, with this worker's threads where the form leaves them open. */
const requestOf = (settings: Settings, backend: BackendPick['backend']) => validRequest(settings, images!, backend, platform!.defaultThreads());

async function answerPlan(id: number, settings: Settings, backend: BackendPick['backend']): Promise<void> {
  try {
    post({ kind: 'plan', id, plan: await planFit(requestOf(settings, backend)) });
  } catch (e) {
    if (!(e instanceof DeepPriorError)) throw e;
    post({ kind: 'invalid', id, message: e.message, option: e.option });
  }
}

async function answerCalibrate(id: number, backend: BackendPick['backend']): Promise<void> {
  if (!speeds.has(backend)) speeds.set(backend, deviceSpeed(platform!, backend));
  try {
    post({ kind: 'calibrated', id, speed: await speeds.get(backend)! });
  } catch (e) {
    speeds.delete(backend);
    post({ kind: 'calibrated', id, speed: null, problem: (e as Error).message });
  }
}

/** The quicker copy is an offer: a request that no longer checks (the form changed meanwhile) gets none. */
async function answerQuicker(m: Extract<ToWorker, { kind: 'quicker' }>): Promise<void> {
  try {
    post({ kind: 'quicker', id: m.id, quicker: await quickerCopy(requestOf(m.settings, m.backend), m.plan, m.speed) });
  } catch (e) {
    post({ kind: 'quicker', id: m.id, quicker: null });
    if (!(e instanceof DeepPriorError)) throw e;
  }
}

/** Like the quicker copy, an offer: none for a request that no longer checks. */
async function answerTiles(m: Extract<ToWorker, { kind: 'tiles' }>): Promise<void> {
  try {
    // As the app plans: with the backend its setting gives before a plan, then judged on the one the plan gets.
    const setting = backendSetting(m.settings);
    const request = requestOf(m.settings, pickBackend(setting, m.gpu, null).backend);
    post({ kind: 'tiles', id: m.id, offer: await tileOffer(request, judgeOnPick(setting, m.gpu)) });
  } catch (e) {
    post({ kind: 'tiles', id: m.id, offer: null });
    if (!(e instanceof DeepPriorError)) throw e;
  }
}

function answerDownscale(id: number, width: number, height: number): void {
  const small = downscaled(images!.image, images!.mask, width, height);
  images = { ...images!, ...small };
  post({ kind: 'downscaled', id, images: small });
}

async function runFit(settings: Settings, first: BackendPick, previewEvery: number): Promise<void> {
  controller = new AbortController();
  let pick = first;
  try {
    for (;;) {
      post({ kind: 'backend', pick });
      try {
        return await fitOn(settings, pick, previewEvery, controller.signal);
      } catch (e) {
        if (pick.backend !== 'webgpu' || !(e instanceof EngineError) || controller.signal.aborted) throw e;
        pick = { backend: 'wasm', reason: `WebGPU failed (${e.message}); running on WebAssembly instead` };
      }
    }
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    controller = null;
  }
}

async function fitOn(settings: Settings, pick: BackendPick, previewEvery: number, signal: AbortSignal): Promise<void> {
  const request = requestOf(settings, pick.backend);
  post({ kind: 'phase', text: `building the network and compiling it for ${pick.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}` });
  const progress = new ProgressBatch((entries, latest) => post({ kind: 'progress', entries, latest }));
  const result = await restoreWith(platform!, request, hooksFor(previewEvery, progress, signal));
  progress.flush();
  post({ kind: 'phase', text: 'finishing' });
  const preview = previewOf(result.bestIteration, result.image);
  const { image, iterations, bestIteration, stopReason, seconds, backend, options } = result;
  post({ kind: 'done', summary: { iterations, bestIteration, stopReason, seconds, backend, options }, image, preview }, [
    image.data.buffer,
    preview.rgba.buffer,
  ]);
}

function hooksFor(every: number, progress: ProgressBatch, signal: AbortSignal): RestoreHooks {
  let fitting = false;
  let yielded = performance.now();
  return {
    signal,
    snapshotEvery: every,
    // ONNX Runtime's steps resolve without giving the event loop a turn: yield at least every 50 ms so 'stop' arrives.
    onProgress: async (p) => {
      if (!fitting) post({ kind: 'phase', text: 'fitting' });
      fitting = true;
      progress.add(p);
      if (performance.now() - yielded < 50) return;
      await new Promise((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    },
    onSnapshot: (iteration: number, image: Image) => {
      progress.flush();
      const preview: Preview = previewOf(iteration, image);
      post({ kind: 'preview', preview }, [preview.rgba.buffer]);
    },
  };
}
