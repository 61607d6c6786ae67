/** --width-profile: the skip net's channels per level, as the settings say and as the built network has them. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/graph.js';
import { Params } from '../src/graph/params.js';
import { createImage } from '../src/image/index.js';
import { network, profileWidths } from '../src/nets/index.js';
import { effectiveSettings } from '../src/tasks/settings.js';
import { validateRestoreOptions } from '../src/validate.js';

const image = createImage(64, 64, 3);

/** Output channels of each level's `.deep` conv (the down path) and `.up` conv, read off the parameters the net creates. */
function levelWidths(arch: 'skip', net: Parameters<typeof network>[1]): { down: number[]; up: number[] } {
  const built = network(arch, net, 3);
  const g = new Graph('t');
  const params = new Params(g);
  built.build(params, g.input('z', [1, 32, 64, 64]));
  const widthOf = (suffix: string) =>
    params.specs.filter((s) => s.name.endsWith(suffix)).map((s) => ({ level: Number(/^level(\d+)/.exec(s.name)![1]), out: s.shape[0] }));
  const sorted = (xs: { level: number; out: number }[]) => xs.sort((a, b) => a.level - b.level).map((x) => x.out);
  return { down: sorted(widthOf('.deep.conv.weight')), up: sorted(widthOf('.up.conv.weight')) };
}

describe('width profiles', () => {
  it('pyramid: the two coarsest levels at the widest width, each finer one half the next, at least 8', () => {
    expect(profileWidths('pyramid', [128, 128, 128, 128, 128])).toEqual([16, 32, 64, 128, 128]);
    expect(profileWidths('pyramid', [48, 48, 48, 48, 48])).toEqual([8, 12, 24, 48, 48]);
    expect(profileWidths('pyramid', [16, 32, 64, 128, 128, 128])).toEqual([8, 16, 32, 64, 128, 128]);
    expect(profileWidths('uniform', [8, 16, 32, 64, 128])).toEqual([128, 128, 128, 128, 128]);
  });

  it('the fast preset with --width-profile pyramid builds a net with those widths; --channels sets the widest', () => {
    const plain = effectiveSettings(validateRestoreOptions({ task: 'denoise', image, preset: 'fast' }));
    expect(levelWidths('skip', plain.net)).toEqual({ down: [48, 48, 48, 48, 48], up: [48, 48, 48, 48, 48] });
    const pyramid = effectiveSettings(validateRestoreOptions({ task: 'denoise', image, preset: 'fast', widthProfile: 'pyramid' }));
    expect(levelWidths('skip', pyramid.net)).toEqual({ down: [8, 12, 24, 48, 48], up: [8, 12, 24, 48, 48] });
    const wide = effectiveSettings(validateRestoreOptions({ task: 'denoise', image, preset: 'fast', widthProfile: 'pyramid', channels: 128 }));
    expect(levelWidths('skip', wide.net)).toEqual({ down: [16, 32, 64, 128, 128], up: [16, 32, 64, 128, 128] });
    // The pyramid costs far less per step: most of a skip net's work is at full resolution.
    expect(network('skip', pyramid.net, 3).description).toContain('down 8/12/24/48/48');
  });

  it('is refused for networks without skip levels', () => {
    expect(() => validateRestoreOptions({ task: 'denoise', image, arch: 'unet', widthProfile: 'pyramid' })).toThrow(
      /widthProfile spreads the channels of the skip nets, not of unet/,
    );
  });
});
