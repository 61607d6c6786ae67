/** Starts the app: the offline/isolation service worker, the GPU probe, the form, the editor, the worker, and the page's controls. */
import { App } from './app.js';
import { CompareView } from './compare-view.js';
import { byId } from './dom.js';
import { FitClient } from './fit-client.js';
import { probeGpu } from './gpu-probe.js';
import { decodePicture } from './image-file.js';
import { LossChart } from './loss-chart.js';
import { MaskEditor, type Tool } from './mask-editor.js';
import { ProgressView } from './progress-view.js';
import { registerServiceWorker } from './register-sw.js';
import { TaskForm } from './task-form.js';
import { Ui } from './ui.js';

/** onnxruntime-web's own default: half the cores, at most 4; one without cross-origin isolation. */
const defaultThreads = crossOriginIsolated ? Math.min(4, Math.ceil((navigator.hardwareConcurrency || 1) / 2)) : 1;

function boot(): void {
  void registerServiceWorker(byId('offline'));
  const ui = new Ui();
  let app: App | null = null;
  const form = new TaskForm({ tasks: byId('tasks'), taskOptions: byId('task-options'), common: byId('common-options') }, (what) => {
    if (what === 'task') ui.setMaskEditing(form.acceptsMask);
    if (what === 'file') void app?.filesChanged();
    else app?.schedulePlan();
  });
  const mask = new MaskEditor(byId<HTMLCanvasElement>('mask'), byId('ring'), () => app?.schedulePlan());
  const client = new FitClient(new URL('ort/', document.baseURI).href);
  client.ensure(defaultThreads);
  const compare = new CompareView(byId<HTMLCanvasElement>('before'), byId<HTMLCanvasElement>('after'), byId<HTMLInputElement>('split'), byId('split-control'));
  const progress = new ProgressView(byId<HTMLProgressElement>('progress'), byId('progress-line'), byId('phase'));
  const chart = new LossChart(byId<HTMLCanvasElement>('chart'));
  app = new App({ ui, form, mask, client, compare, chart, progress, gpu: probeGpu(), defaultThreads });
  ui.setMaskEditing(form.acceptsMask);
  wirePicture(app);
  wireRun(app);
  wireMaskTools(app, mask, form, ui);
  document.body.dataset.ready = 'true';
}

function wirePicture(app: App): void {
  const input = byId<HTMLInputElement>('file');
  input.addEventListener('change', () => input.files?.[0] && void app.open(input.files[0]));
  const drop = byId('drop');
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void app.open(file);
  });
}

function wireRun(app: App): void {
  byId('start').addEventListener('click', () => void app.start());
  byId('stop').addEventListener('click', () => app.stop());
  byId('download').addEventListener('click', () => void app.download());
  byId('back').addEventListener('click', () => app.backToPicture());
}

function wireMaskTools(app: App, mask: MaskEditor, form: TaskForm, ui: Ui): void {
  const size = byId<HTMLInputElement>('brush-size');
  const sizeOut = byId('brush-size-value');
  const syncTools = () => {
    byId<HTMLInputElement>(`tool-${mask.tool}`).checked = true;
    size.value = String(mask.size);
    sizeOut.textContent = `${mask.size} px`;
  };
  for (const t of ['brush', 'eraser'] as Tool[]) byId(`tool-${t}`).addEventListener('change', () => (mask.tool = t));
  size.addEventListener('input', () => {
    mask.size = Number(size.value);
    syncTools();
  });
  byId('mask').addEventListener('maskstate', syncTools);
  byId('undo').addEventListener('click', () => mask.undo());
  byId('clear').addEventListener('click', () => mask.clear());
  const file = byId<HTMLInputElement>('mask-file');
  file.addEventListener('change', () => void loadMaskFile(file, mask, ui));
  wireColourTools(app, mask, form, ui);
}

async function loadMaskFile(input: HTMLInputElement, mask: MaskEditor, ui: Ui): Promise<void> {
  const f = input.files?.[0];
  if (!f) return;
  try {
    mask.addMaskFile((await decodePicture(f, f.name)).image);
    ui.say(`Mask loaded from ${f.name}.`);
  } catch (e) {
    ui.say((e as Error).message, true);
  }
  input.value = '';
}

/** Pick: the next click on the picture puts its colour into “mask-color”. Paint: every pixel of that colour joins the mask. */
function wireColourTools(app: App, mask: MaskEditor, form: TaskForm, ui: Ui): void {
  let picking = false;
  const canvas = byId<HTMLCanvasElement>('mask');
  byId('pick-colour').addEventListener('click', () => {
    picking = true;
    ui.say('Click the colour to pick in the picture.');
  });
  const pick = (e: PointerEvent) => {
    if (!picking || !app.picture) return;
    e.stopImmediatePropagation();
    picking = false;
    const r = canvas.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) * canvas.width) / r.width);
    const y = Math.floor(((e.clientY - r.top) * canvas.height) / r.height);
    const d = app.picture.pixels.data;
    const i = 4 * (y * canvas.width + x);
    const hex = `#${[d[i], d[i + 1], d[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    setField(form, 'maskColor', hex);
    ui.say(`Picked ${hex} for “mask-color”.`);
  };
  canvas.addEventListener('pointerdown', pick, { capture: true });
  byId('from-colour').addEventListener('click', () => paintColour(app, mask, form, ui));
}

function paintColour(app: App, mask: MaskEditor, form: TaskForm, ui: Ui): void {
  const { settings } = form.read();
  if (!app.picture || typeof settings.maskColor !== 'string') {
    ui.say('Give a colour in “mask-color” first (or pick one in the picture).', true);
    return;
  }
  try {
    mask.addColour(app.picture.image, settings.maskColor, Number(settings.maskTolerance ?? 0));
  } catch (e) {
    ui.say((e as Error).message, true);
    return;
  }
  // The colour is now part of the painted mask; the option would conflict with it.
  setField(form, 'maskColor', '');
  setField(form, 'maskTolerance', '');
  ui.say('Every pixel of that colour is now in the mask: refine it with the brush and eraser.');
}

function setField(form: TaskForm, key: string, value: string): void {
  const c = form.control(key);
  if (!c) return;
  c.value = value;
  c.dispatchEvent(new Event('change'));
}

boot();
