/**
 * One form field for one entry of the option table: a select for a choice, a checkbox for a flag, a
 * file input for an image, a text box (numbers and fractions such as 1/30, colours) otherwise. The
 * label is the option's name, the description its help line, its accepted values and its default —
 * all from the table, so a new option appears here without touching the app.
 */
import type { OptionSpec } from '../../src/index.js';
import { listOr } from '../../src/options/kinds.js';
import { h } from './dom.js';
import { optionLabel } from './option-labels.js';

export interface OptionField {
  readonly key: string;
  readonly element: HTMLElement;
  readonly control: HTMLInputElement | HTMLSelectElement;
  /** The value as the table's kind parses it (undefined: not given), or what is wrong with the text. */
  read(): { value?: unknown; problem?: string };
  setPlaceholder(text: string): void;
  setProblem(message: string | null): void;
}

export function optionField(key: string, spec: OptionSpec, choices?: readonly unknown[]): OptionField {
  const id = `opt-${key}`;
  const control = controlFor(id, spec, choices ?? spec.kind.choices);
  const desc = h('p', { class: 'hint', id: `${id}-desc`, text: describe(spec, choices) });
  const problem = h('p', { class: 'problem', id: `${id}-problem`, hidden: true });
  control.setAttribute('aria-describedby', `${id}-desc ${id}-problem`);
  const label = h('label', { for: id, text: optionLabel(key) });
  const element = spec.kind.flag
    ? h('div', { class: 'field flag' }, control, label, desc, problem)
    : h('div', { class: 'field' }, label, control, desc, problem);
  return {
    key,
    element,
    control,
    read: () => readControl(control, spec),
    setPlaceholder: (text) => {
      if (control instanceof HTMLInputElement) control.placeholder = text;
      else if (control.options[0]?.value === '') control.options[0].textContent = text;
    },
    setProblem: (message) => {
      problem.hidden = !message;
      problem.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

function describe(spec: OptionSpec, choices?: readonly unknown[]): string {
  const accepted = choices ? listOr(choices.map(String)) : spec.kind.describe;
  const values = spec.kind.flag || spec.kind.image ? '' : ` — ${accepted}`;
  const def = spec.default ?? (spec.preset ? 'from the preset' : undefined);
  return `${spec.help}${values}${def ? ` (default: ${def})` : ''}`;
}

function controlFor(id: string, spec: OptionSpec, choices: readonly unknown[] | undefined): HTMLInputElement | HTMLSelectElement {
  if (spec.kind.flag) return h('input', { id, type: 'checkbox' });
  if (spec.kind.image) return h('input', { id, type: 'file', accept: 'image/png,image/jpeg,image/webp,image/avif' });
  if (!choices) return h('input', { id, type: 'text', inputmode: spec.kind.describe.includes('number') ? 'decimal' : undefined, autocomplete: 'off' });
  const select = h('select', { id });
  const def = choices.find((c) => String(c) === spec.default);
  if (def === undefined) select.append(h('option', { value: '', text: spec.default ?? (spec.preset ? 'from the preset' : 'choose') }));
  for (const c of choices) select.append(h('option', { value: String(c), text: String(c), selected: c === def }));
  return select;
}

function readControl(control: HTMLInputElement | HTMLSelectElement, spec: OptionSpec): { value?: unknown; problem?: string } {
  if (control instanceof HTMLInputElement && control.type === 'checkbox') return { value: control.checked || undefined };
  if (control instanceof HTMLInputElement && control.type === 'file') return { value: control.files?.[0] };
  const text = control.value.trim();
  if (!text) return {};
  // Left at its default, a choice is not sent: the library applies the default itself, and an option
  // that only applies with another (--prefer with --arch auto) would otherwise be refused.
  if (control instanceof HTMLSelectElement) return text === spec.default ? {} : { value: spec.kind.choices?.find((c) => String(c) === text) };
  try {
    return { value: spec.kind.parse(text) };
  } catch {
    return { problem: `must be ${spec.kind.describe}` };
  }
}
