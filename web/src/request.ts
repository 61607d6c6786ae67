/**
 * The request of a fit, checked once, where it runs (the worker): the form's settings, then the
 * images, through the library's validator. Messages name options as the form shows them.
 */
import { validateImages, validateSettings, type Naming, type ValidRequest } from '../../src/index.js';
import { optionLabel } from './option-labels.js';
import type { BackendPick, FitImages, Settings } from './protocol.js';

const nameOf = (key: string) => (key === 'image' ? 'the picture' : `“${optionLabel(key)}”`);
export const WEB_NAMING: Naming = { name: nameOf, withValue: nameOf };

/**
 * `threads`: the worker's WebAssembly threads, written in where the form leaves them open, so the plan
 * chooses the preset by size for the machine the fit runs on (the library would take the same default).
 */
export function validRequest(settings: Settings, images: FitImages, backend: BackendPick['backend'], threads: number): ValidRequest {
  // Phase 1 only needs to know which images are there.
  const present = Object.fromEntries(Object.entries(images).flatMap(([k, v]) => (v ? [[k, true]] : [])));
  // Tiles are fitted one by one: a joint fit's stitching graph spans the whole canvas, what a picture
  // too large for WebAssembly's memory or the GPU's buffers cannot have (web/src/tiles.ts).
  const checked = validateSettings({ threads, ...settings, ...present, backend, tiling: 'independent' }, WEB_NAMING);
  return validateImages(checked, images, WEB_NAMING);
}
