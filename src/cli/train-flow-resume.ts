/**
 * A --resume continues the training its checkpoint holds: the options that define that training
 * (task, scale, size, steps, batch, patch, learning rate, seed) may be left out, but when given must
 * agree, --until must not be past the checkpoint's --steps, and the training and validation images
 * must be the same ones.
 */
import type { TrainingCheckpoint, TrainingData } from '../flow/train-checkpoint.js';
import { InputError } from '../util/errors.js';
import type { FlowSettings } from '../validate-flow.js';

function defining(c: TrainingCheckpoint): Partial<Record<keyof FlowSettings, unknown>> {
  const { spec, size, steps, seed } = c.run.settings;
  return {
    task: spec.model.kind === 'sr' ? 'sr' : 'rescale',
    scale: spec.model.scale,
    size,
    steps,
    batch: spec.batch,
    patch: spec.patch,
    lr: spec.adam.lr,
    seed,
  };
}

const flagOf: Partial<Record<keyof FlowSettings, string>> = { lr: '--lr', task: '--task', scale: '--scale', size: '--size', steps: '--steps' };

export function checkResumable(c: TrainingCheckpoint, s: Readonly<FlowSettings>, data: TrainingData): void {
  for (const [key, saved] of Object.entries(defining(c)) as [keyof FlowSettings, unknown][]) {
    const given = s[key];
    if (given === undefined || given === saved) continue;
    const flag = flagOf[key] ?? `--${key}`;
    throw new InputError(
      `--resume: ${flag} ${given} differs from the checkpoint's ${flag} ${saved}; drop ${flag} (or give ${saved}) to continue that training`,
      {
        code: 'BAD_OPTION',
      },
    );
  }
  checkUntil(c, s);
  for (const part of ['train', 'validation'] as const) {
    const a = c.data[part];
    const b = data[part];
    const differs = a.length !== b.length || a.some((n, i) => n !== b[i]);
    if (differs) {
      const first = a.find((n, i) => n !== b[i]) ?? b[a.length];
      throw new InputError(
        `--resume: the ${part === 'train' ? 'training' : 'validation'} images differ from the checkpoint's (${b.length} here, ${a.length} there; first difference ${first}): give the same --data and --val/--hold-out`,
        { code: 'BAD_DATA' },
      );
    }
  }
}

/** --until against the checkpoint's --steps: the options' check left it to here when --steps is left out. */
function checkUntil(c: TrainingCheckpoint, s: Readonly<FlowSettings>): void {
  const { steps } = c.run.settings;
  if (s.until === undefined || s.until <= steps) return;
  throw new InputError(`--resume: --until ${s.until} is after the checkpoint's last step (--steps ${steps}): give --until ${steps} or less`, {
    code: 'BAD_OPTION',
    option: 'until',
  });
}
