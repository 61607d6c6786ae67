/** The task registry. */
import type { TaskName } from '../options/index.js';
import { deblock } from './deblock.js';
import { enhance } from './enhance.js';
import { denoise } from './denoise.js';
import { flash } from './flash.js';
import { impulse } from './impulse.js';
import { inpaint } from './inpaint.js';
import { reconstruct } from './reconstruct.js';
import { superResolve } from './super-resolve.js';
import type { TaskDefinition } from './task.js';

const registry: Record<TaskName, TaskDefinition> = {
  denoise,
  deblock,
  inpaint,
  reconstruct,
  flash,
  impulse,
  enhance,
  'super-resolve': superResolve,
};

export function taskDefinition(name: TaskName): TaskDefinition {
  return registry[name];
}
