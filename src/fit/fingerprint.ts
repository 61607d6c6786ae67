/** A short hash of what determines a fit, so a checkpoint is never resumed with other settings or another image. */
import type { RestoreOptions } from '../options/index.js';
import type { TaskSettings } from '../tasks/task.js';

export function fingerprint(o: RestoreOptions, s: TaskSettings): string {
  let h = 0x811c9dc5;
  const feed = (x: number) => {
    h ^= x & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  const text = JSON.stringify({
    task: o.task,
    scale: o.scale,
    seed: o.seed ?? 0,
    tv: o.tv,
    impulse: o.impulseLoss,
    s,
    w: o.image.width,
    h: o.image.height,
    c: o.image.channels,
  });
  for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
  for (const img of [o.image, o.mask, o.guide]) {
    if (!img) continue;
    const step = Math.max(1, Math.floor(img.data.length / 65536));
    for (let i = 0; i < img.data.length; i += step) feed(Math.round(img.data[i] * 65535));
  }
  return h.toString(16).padStart(8, '0');
}
