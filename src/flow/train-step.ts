/**
 * One HCFlow training step as one ONNX graph, like the DIP step (src/fit/step-graph.ts): the batch
 * and the state (weights, Adam moments) go in; the loss, its terms, the gradient norm and the next
 * state come out. Gradients are clipped as the official trainer does (value 5, then norm 100) and
 * Adam uses β = (0.9, 0.99). A second, forward-only graph performs ActNorm's data-dependent init.
 */
import { Graph, type Value } from '../graph/graph.js';
import { gradients } from '../graph/index.js';
import { Params } from '../graph/params.js';
import { type AdamOptions, adamUpdate, clipGradients, type GradientClip } from '../fit/adam-graph.js';
import type { FlowModelConfig } from './config.js';
import { FlowContext } from './context.js';
import { flowNet } from './flownet.js';
import { type LossTerms, rescalingLoss } from './rescaling.js';
import { srNll } from './sr.js';

export const FLOW_ADAM: AdamOptions = { lr: 2.5e-4, beta1: 0.9, beta2: 0.99, eps: 1e-8 };
export const FLOW_CLIP: GradientClip = { value: 5, norm: 100 };

export interface FlowBatchShape {
  batch: number;
  /** HR patch side; a multiple of the model scale. */
  patch: number;
}

export interface FlowTrainSpec extends FlowBatchShape {
  model: FlowModelConfig;
  adam: AdamOptions;
  clip: GradientClip | null;
}

export const FLOW_STATE = { m: (i: number) => `m${i}`, v: (i: number) => `v${i}` };

export interface FlowTrainGraph {
  graph: Graph;
  params: Params;
  /** The loss terms output next to `loss`, by output name. */
  terms: string[];
}

/** The batch inputs `hr` [B, 3, P, P], `lr` [B, 3, P/s, P/s], and the per-step `noise_key` [2]. */
function batchInputs(g: Graph, spec: FlowBatchShape, scale: number) {
  const hr = g.input('hr', [spec.batch, 3, spec.patch, spec.patch]);
  const lr = g.input('lr', [spec.batch, 3, spec.patch / scale, spec.patch / scale]);
  return { hr, lr, noiseKey: g.input('noise_key', [2], 'int64') };
}

export function modelLoss(model: FlowModelConfig, ctx: FlowContext, hr: Value, lr: Value, noiseKey: Value): LossTerms {
  const net = flowNet(ctx, model.net);
  return model.kind === 'rescaling' ? rescalingLoss(net, hr, lr, noiseKey) : srNll(net, hr, lr, noiseKey, model.quant);
}

export function buildFlowTrainStep(spec: FlowTrainSpec): FlowTrainGraph {
  const g = new Graph('hcflow_step');
  const params = new Params(g);
  const { hr, lr, noiseKey } = batchInputs(g, spec, spec.model.scale);
  const loss = modelLoss(spec.model, new FlowContext(params), hr, lr, noiseKey);
  g.output(loss.total, 'loss');
  const terms = Object.entries(loss.terms).map(([name, v]) => g.output(v, name).name);
  const raw = gradients(loss.total, params.values);
  const present = raw.filter((d): d is Value => d !== null);
  const clipped = spec.clip ? clipGradients(present, spec.clip) : null;
  if (clipped) g.output(clipped.norm, 'grad_norm');
  const step = { stepSize: g.input('step_size', []), invSqrtBc2: g.input('inv_sqrt_bc2', []) };
  let k = 0;
  params.values.forEach((p, i) => {
    const m = g.input(FLOW_STATE.m(i), p.shape);
    const v = g.input(FLOW_STATE.v(i), p.shape);
    const grad = raw[i] ? (clipped ? clipped.grads[k++] : raw[i]!) : null;
    const next = grad ? adamUpdate(p, grad, m, v, spec.adam, step) : { p, m, v };
    g.output(next.p, `${p.name}_next`);
    g.output(next.m, `${FLOW_STATE.m(i)}_next`);
    g.output(next.v, `${FLOW_STATE.v(i)}_next`);
  });
  return { graph: g, params, terms };
}

export interface FlowInitGraph {
  graph: Graph;
  params: Params;
  /** Output name of each data-initialised parameter's starting value. */
  outputs: { index: number; name: string }[];
}

/** The forward pass with ActNorm taking its statistics from the batch; outputs those as start values. */
export function buildFlowInitGraph(model: FlowModelConfig, shape: FlowBatchShape): FlowInitGraph {
  const g = new Graph('hcflow_actnorm_init');
  const params = new Params(g);
  const ctx = new FlowContext(params, { dataInit: true });
  const hr = g.input('hr', [shape.batch, 3, shape.patch, shape.patch]);
  flowNet(ctx, model.net).forward(hr);
  const outputs = [...ctx.dataInit!.entries()].map(([index, v]) => ({ index, name: g.output(v, `init${index}`).name }));
  return { graph: g, params, outputs };
}
