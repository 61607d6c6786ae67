/**
 * The engine in the browser, for test/web/webgpu.test.ts (served by Vite's dev server from the
 * repository): the PyTorch fixture's skip-net step on a backend, and a short fit with its state kept
 * on the device or copied to the host every step.
 */
import { restoreWith } from '../../../src/restore/index.js';
import { Engine } from '../../../src/runtime/engine.js';
import { webPlatform } from '../../../src/runtime/platform-web.js';
import { parseSkipFixture, skipFixtureStep } from '../../helpers/fixture-data.js';
import { FIT, fitPicture } from './fit-case.js';

type Backend = 'webgpu' | 'wasm';
const wasmPaths = new URL('/ort/', location.href).href;

async function fixtureStep(backend: Backend) {
  const json = await (await fetch('/test/fixtures/skip-step.json')).json();
  const bytes = new Uint8Array(await (await fetch('/test/fixtures/skip-step.bin')).arrayBuffer());
  const engine = await Engine.create(webPlatform({ wasmPaths }), { backend });
  const r = await skipFixtureStep(engine, parseSkipFixture(json, bytes));
  return { loss: r.loss, out: Array.from(r.out), grads: r.grads };
}

async function fitSteps(backend: Backend, keepOnDevice: boolean, side: number, iterations: number) {
  const image = fitPicture(side);
  const r = await restoreWith(webPlatform({ wasmPaths, keepOnDevice }), { task: 'denoise', image, ...FIT, iterations, backend });
  const seconds = r.history.map((h) => h.seconds);
  return {
    backend: r.backend,
    losses: r.history.map((h) => h.loss),
    image: Array.from(r.image.data),
    secondsPerStep: (seconds.at(-1)! - seconds[0]) / (seconds.length - 1),
  };
}

Object.assign(window, { deepPriorTest: { fixtureStep, fitSteps } });
