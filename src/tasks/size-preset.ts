/**
 * The default preset from the image size and the machine, and the time a fit is expected to take.
 * A task lists its presets from the best to the cheapest (`TaskDefinition.bySize`); the default is the
 * first whose fit, run to its ceiling, is estimated to fit in TIME_BUDGET_SECONDS on this backend and
 * thread count, else the cheapest. The estimate counts the network's multiply-accumulates at the canvas
 * size (src/nets/cost.ts) and divides by a rate measured on the project's reference machine; it is a
 * plan, not a promise (the automatic stop usually ends the fit before its ceiling).
 *
 * Why not the plan's calibrated model (src/plan), which prints the time: the preset decides the whole
 * fit, so it must follow from the options alone (size, task, backend, threads). A choice made from a
 * probe timed on this machine would flip between presets with the load of the moment, and the same
 * command, seed and backend would no longer give the same result. The plan then times the chosen
 * preset honestly, and offers the better one with its own time.
 */
import { numel } from '../graph/graph.js';
import { forwardMacs } from '../nets/cost.js';
import { network } from '../nets/index.js';
import type { Preset, RestoreOptions } from '../options/index.js';
import type { BackendName } from '../runtime/engine.js';
import { taskDefinition } from './index.js';
import { canvasSide, type TaskSettings } from './task.js';

/**
 * What the default preset may cost, run to its ceiling, before a cheaper one is chosen. Generous,
 * because the cheaper presets cost quality: on F16 256², σ = 25, lite reached 23.8 dB at its ceiling of
 * 430 iterations and 28.2 dB at 1500, where fast reached 30.9 dB at 1800 (docs/RESULTS.md). So a
 * 1024×768 photo on two CPU threads gets fast (about 2 h to its ceiling); above about 1.2 megapixels
 * on two threads (more on more) it falls back to lite, with the plan offering fast and its time.
 */
export const TIME_BUDGET_SECONDS = 3 * 3600;

export interface Machine {
  backend: BackendName;
  threads: number;
}

/**
 * A training step's CPU cost on ONNX Runtime's CPU provider: the convolutions' multiply-accumulates at
 * a rate, plus a cost per output pixel (the elementwise passes at full resolution, which do not shrink
 * with the network's width) and per value of the input code (its reg-noise, padding and the first
 * convolutions' gradients). Fitted (least squares of the relative error) to the CPU seconds per step
 * that bench/step-cost.ts measured for six configurations at 1024×768 and 512×384 on the 2-core x86-64
 * reference machine, within ±15 % (docs/PERFORMANCE.md); a thread is taken to do its share of that CPU time.
 */
export const CPU_COST = { macsPerSecond: 23e9, secondsPerPixel: 2.1e-6, secondsPerCodeValue: 0.078e-6 };

/** Speed relative to the CPU provider: wasm measured on the same machine; the GPU figures are assumptions (no GPU was at hand). */
const BACKEND_SPEED: Record<BackendName, number> = { cpu: 1, wasm: 0.35, webgpu: 10, cuda: 20 };

/** Seconds of one step of `s` on an image of w×h (output size), on `machine`. */
export function stepSeconds(s: TaskSettings, width: number, height: number, channels: number, machine: Machine): number {
  const net = network(s.arch, s.net, channels <= 2 ? 1 : 3);
  const rule = { multiple: net.multiple, minSize: net.minSize };
  const [cw, ch] = [canvasSide(width, rule), canvasSide(height, rule)];
  const depth = s.input === 'image' ? channels : s.input === 'meshgrid' ? 2 : s.inputDepth;
  const code = [1, depth, ch / net.inputDownscale, cw / net.inputDownscale];
  // A step is the forward pass, the input gradients and (unless the weights are frozen) the weight gradients.
  const passes = s.trainable === 'projector' ? 2 : 3;
  const cpu = (passes * forwardMacs(net, code)) / CPU_COST.macsPerSecond + cw * ch * CPU_COST.secondsPerPixel + numel(code) * CPU_COST.secondsPerCodeValue;
  return cpu / (BACKEND_SPEED[machine.backend] * machine.threads);
}

/** Seconds of the whole fit at its ceiling (a coarse stage included). */
export function ceilingSeconds(s: TaskSettings, o: RestoreOptions, machine: Machine): number {
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const [w, h] = [o.image.width * scale, o.image.height * scale];
  const full = s.iterations * stepSeconds(s, w, h, o.image.channels, machine);
  const coarse = s.coarseIterations ? s.coarseIterations * stepSeconds(s, Math.ceil(w / 2), Math.ceil(h / 2), o.image.channels, machine) : 0;
  return full + coarse;
}

/** The default preset for this image on this machine (`settingsOf` gives a preset's settings for the request). */
export function presetBySize(o: RestoreOptions, machine: Machine, settingsOf: (preset: Preset) => TaskSettings): Preset {
  const order = taskDefinition(o.task).bySize ?? ['fast'];
  return order.find((p) => ceilingSeconds(settingsOf(p), o, machine) <= TIME_BUDGET_SECONDS) ?? order[order.length - 1];
}
