/**
 * `arch: 'auto'`: the architecture search picks a cross-skip genotype for this image
 * (src/search/procedure.ts), then the chosen genotype is fitted from scratch at full resolution
 * (the official script retrains the loop's last cohort member instead). When the cohort was fitted
 * on the image itself with the same ceiling and automatic stopping, the chosen member's fit is that very fit (same request,
 * seed and settings) and is returned instead of repeating it, unless snapshots or a start hook ask
 * to watch the final fit.
 */
import type { RestoreHooks, RestoreResult } from '../options/index.js';
import type { Platform } from '../runtime/engine.js';
import type { FitFn } from '../autoarch/cost.js';
import { searchWith } from '../autoarch/procedure.js';
import { archChanges } from '../search/width-variants.js';
import { effectiveSettings } from '../tasks/settings.js';
import { derivedRequest, type ValidRequest } from '../validate.js';
import { searchTarget } from './preview.js';

export async function restoreWithSearch(platform: Platform, valid: ValidRequest, hooks: RestoreHooks, fit: FitFn): Promise<RestoreResult> {
  const target = searchTarget(valid);
  const search = await searchWith(platform, target, fit, { onProgress: hooks.onSearchProgress, signal: hooks.signal, log: hooks.log });
  const { chosen } = search.summary;
  hooks.log?.(`search: chose ${chosen} (--prefer ${search.summary.prefer}); --arch ${chosen} fits it again without searching`);
  const final = derivedRequest(valid, archChanges(chosen));
  // A cohort fit of the image itself is the final fit; not of a --max-size copy, whose result the final fit scales back up.
  const same =
    target === valid &&
    !search.copy.downscaled &&
    (valid.stop ?? 'auto') === 'auto' &&
    search.ceiling === effectiveSettings(final).iterations &&
    !hooks.onSnapshot &&
    !hooks.onStart;
  const reused = same ? search.fits.get(chosen)?.result : undefined;
  const result = reused ?? (await fit(final, hooks));
  return { ...result, search: search.summary };
}
