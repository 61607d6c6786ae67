/**
 * The task list and the option form, built from the task definitions (src/tasks) and the option
 * table (src/options/table.ts): each task with its summary; its own options next to it, the common
 * ones under "More settings". The mask is not a field: the mask editor paints it.
 */
import { RESTORE_OPTIONS, TASKS, type OptionSpec, type RestoreOptionKey, type TaskName } from '../../src/index.js';
import { taskDefinition } from '../../src/tasks/index.js';
import { h } from './dom.js';
import { optionField, type OptionField } from './option-field.js';

/**
 * Options the form never shows: the task is the list itself, the picture and mask have their own
 * controls; the memory budget and the tiling mode are the app's (it sizes tiles by this device's own
 * limits and fits them one by one: web/src/tiles.ts, request.ts).
 */
const NOT_FIELDS = new Set<string>(['task', 'image', 'mask', 'maxMemory', 'tiling']);
/** The backends a browser has (the table lists Node's too). */
const BROWSER_BACKENDS = ['auto', 'webgpu', 'wasm'];
/** Where the app's users expect otherwise than the papers: a "remove" leaves the rest of the photo untouched. */
const APP_DEFAULTS: Record<string, boolean> = { keepKnown: true };

export interface FormRead {
  settings: Record<string, unknown>;
  files: Partial<Record<'guide' | 'reference', File>>;
  problems: { key: string; message: string }[];
}

export class TaskForm {
  private fields = new Map<string, OptionField>();
  task: TaskName = 'denoise';

  constructor(
    private readonly roots: { tasks: HTMLElement; taskOptions: HTMLElement; common: HTMLElement },
    private readonly onChange: (what: 'task' | 'option' | 'file') => void,
  ) {
    this.renderTasks();
    for (const key of commonKeys()) roots.common.append(this.field(key).element);
    this.showTaskOptions();
  }

  get acceptsMask(): boolean {
    return taskDefinition(this.task).options.includes('mask');
  }

  read(): FormRead {
    const out: FormRead = { settings: { task: this.task }, files: {}, problems: [] };
    for (const key of [...taskDefinition(this.task).options, ...commonKeys()]) {
      const field = this.fields.get(key);
      if (!field) continue;
      const { value, problem } = field.read();
      if (problem) out.problems.push({ key, message: problem });
      else if (value instanceof File) out.files[key as 'guide' | 'reference'] = value;
      else if (value !== undefined) out.settings[key] = value;
    }
    return out;
  }

  /** Shows one problem (others cleared); `key` absent: none. */
  showProblem(key: string | undefined, message: string): void {
    for (const [k, f] of this.fields) f.setProblem(k === key ? message : null);
  }

  /** Sets a text field as if typed (an offer's one click), so the change is planned like the user's own. */
  setText(key: string, text: string): void {
    const control = this.fields.get(key)?.control;
    if (!(control instanceof HTMLInputElement)) return;
    control.value = text;
    this.onChange('option');
  }

  setPlaceholder(key: string, text: string): void {
    this.fields.get(key)?.setPlaceholder(text);
  }

  control(key: string): HTMLInputElement | HTMLSelectElement | undefined {
    return this.fields.get(key)?.control;
  }

  private renderTasks(): void {
    for (const name of TASKS) {
      const id = `task-${name}`;
      const radio = h('input', { type: 'radio', name: 'task', id, value: name, checked: name === this.task });
      radio.addEventListener('change', () => {
        this.task = name;
        this.showTaskOptions();
        this.onChange('task');
      });
      const about = taskDefinition(name).about;
      const label = h('label', { for: id }, h('strong', { text: name }), h('span', { class: 'summary', text: ` — ${about.summary}` }));
      this.roots.tasks.append(h('div', { class: 'task' }, radio, label));
    }
  }

  private showTaskOptions(): void {
    const keys = taskDefinition(this.task).options.filter((k) => !NOT_FIELDS.has(k));
    this.roots.taskOptions.replaceChildren(...keys.map((k) => this.field(k).element));
    this.roots.taskOptions.hidden = keys.length === 0;
  }

  private field(key: RestoreOptionKey): OptionField {
    let f = this.fields.get(key);
    if (f) return f;
    const spec: OptionSpec = RESTORE_OPTIONS[key];
    f = optionField(key, spec, key === 'backend' ? BROWSER_BACKENDS : undefined);
    if (key in APP_DEFAULTS && f.control instanceof HTMLInputElement) f.control.checked = APP_DEFAULTS[key];
    const kind = spec.kind.image ? 'file' : 'option';
    f.control.addEventListener('change', () => this.onChange(kind));
    if (f.control instanceof HTMLInputElement && f.control.type === 'text') f.control.addEventListener('input', () => this.onChange(kind));
    this.fields.set(key, f);
    return f;
  }
}

/** The options every task takes, in the table's order. */
function commonKeys(): RestoreOptionKey[] {
  return (Object.keys(RESTORE_OPTIONS) as RestoreOptionKey[]).filter((k) => !NOT_FIELDS.has(k) && !(RESTORE_OPTIONS[k] as OptionSpec).perTask);
}
