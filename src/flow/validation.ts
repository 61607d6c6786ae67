/**
 * Validation during a flow training: the current weights on held-out images, measured as the
 * benchmark does (evaluate.ts): rescaling down→up at τ = 0, SR the τ = 0 sample of the bicubic LR,
 * mean Y-PSNR against the HR; the bicubic figure of the same images comes along for reference.
 */
import type { Image } from '../image/image.js';
import type { Engine } from '../runtime/engine.js';
import type { FlowModelConfig } from './config.js';
import { scoreRescaling, srPsnr } from './evaluate.js';
import { flowParams } from './flownet.js';
import { flowWeights } from './weights.js';

export interface ValidationFigures extends Record<string, number> {
  /** Mean Y-PSNR of the model on the validation images, dB. */
  psnr: number;
  /** Mean Y-PSNR of bicubic (down→up, or upscaling) on them. */
  bicubic: number;
}

export function flowValidator(engine: Engine, model: FlowModelConfig, images: readonly Image[]): (params: Float32Array[]) => Promise<ValidationFigures> {
  const specs = flowParams(model.net);
  return async (params) => {
    const loaded = { weights: flowWeights(model, specs, params, { steps: 0, seconds: 0 }), name: 'the weights in training' };
    let flow = 0;
    let bicubic = 0;
    for (const image of images) {
      const s = model.kind === 'rescaling' ? await scoreRescaling(engine, loaded, image) : await srPsnr(engine, loaded, image);
      flow += s.flow;
      bicubic += s.bicubic;
    }
    return { psnr: flow / images.length, bicubic: bicubic / images.length };
  };
}
