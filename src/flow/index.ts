/** HCFlow (Liang et al., ICCV 2021): models, training core, weights and inference (platform-neutral). */
export { flowModelConfig, modelMultiple, type FlowModelConfig, type FlowModelKind, type FlowSize } from './config.js';
export { flowParamCount, type FlowNetConfig } from './flownet.js';
export { rescaleDown, rescaleUp, sampleSuperResolution, type LoadedFlow, type UpOptions } from './inference.js';
export { PatchSampler, prepareTrainingImage, type Augment, type PatchOptions, type TrainingImage } from './patches.js';
export {
  initialFlowParams,
  learningRate,
  trainFlow,
  type BatchSource,
  type FlowBatch,
  type StepReport,
  type TrainFlowOptions,
  type TrainState,
} from './train.js';
export { buildFlowTrainStep, FLOW_ADAM, FLOW_CLIP, type FlowTrainSpec } from './train-step.js';
export {
  checkWeightsFit,
  decodeWeights,
  encodeWeights,
  flowWeights,
  WEIGHTS_VERSION,
  type FlowWeights,
  type TrainingRecord,
  type WeightsManifest,
} from './weights.js';
