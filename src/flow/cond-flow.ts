/**
 * One level's conditional flow (HCFlow's ConditionalFlow): the split-off high-frequency part a goes
 * through flow steps conditioned on RRDB features of the coarser content, then is standardised by a
 * Gaussian whose mean and log-scale a zero-initialised conv predicts from the same features:
 * ε = (a' − μ)·exp(−log σ), log-det −Σ log σ. So log N(a'; μ, σ) = log N(ε; 0, I) − Σ log σ: the SR
 * model's likelihood is this block's log-det plus a standard normal on ε, and the rescaling model
 * (whose log σ is soft-clamped, 0.318·atan(2s)) penalises ε directly. The inverse draws a' = μ + σ·ε.
 */
import type { Value } from '../graph/graph.js';
import { add, exp, mul, neg, reduceSum, sub } from '../graph/index.js';
import { addLogdet, chain, type FlowContext } from './context.js';
import { convZeros } from './convs.js';
import { softClampLogScale, splitCross } from './coupling.js';
import { flowStep } from './flow-step.js';
import { featureChannels, featureExtractor, type RrdbConfig } from './rrdb.js';

export interface CondFlowSpec {
  /** Channels of the split-off part a. */
  channels: number;
  /** Channels of the conditioning input the features are extracted from. */
  condIn: number;
  steps: number;
  rrdb: RrdbConfig;
  featureMaps: 1 | 2;
  /** Hidden channels of the couplings' FCNs. */
  hidden: number;
  /** 'gaussian': log σ as predicted (SR); 'clamped': 0.318·atan(2s) (rescaling). */
  prior: 'gaussian' | 'clamped';
}

export interface ConditionalFlow {
  features(u: Value): Value;
  forward(a: Value, features: Value): { eps: Value; logdet: Value | null };
  inverse(eps: Value, features: Value): Value;
}

export function conditionalFlow(ctx: FlowContext, name: string, spec: CondFlowSpec): ConditionalFlow {
  const featCh = featureChannels(spec.rrdb, spec.featureMaps);
  const features = featureExtractor(ctx, name, spec.condIn, spec.rrdb, spec.featureMaps);
  const steps = chain(
    Array.from({ length: spec.steps }, (_, k) =>
      flowStep(ctx, `${name}.additional_flow_steps.${k}`, {
        channels: spec.channels,
        condChannels: featCh,
        permutation: 'invconv',
        coupling: 'affine',
        net: 'fcn',
        hidden: spec.hidden,
      }),
    ),
  );
  const priorNet = convZeros(ctx, `${name}.f`, featCh, 2 * spec.channels);
  const prior = (feat: Value) => {
    const [mean, s] = splitCross(priorNet(feat));
    return { mean, logs: spec.prior === 'clamped' ? softClampLogScale(s) : s };
  };
  return {
    features,
    forward(a, feat) {
      const out = steps.forward(a, feat);
      const { mean, logs } = prior(feat);
      const eps = mul(sub(out.y, mean), exp(neg(logs)));
      return { eps, logdet: addLogdet(out.logdet, neg(reduceSum(logs, [1, 2, 3]))) };
    },
    inverse(eps, feat) {
      const { mean, logs } = prior(feat);
      return steps.inverse(add(mean, mul(exp(logs), eps)), feat);
    },
  };
}
