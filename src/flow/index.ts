/** HCFlow (Liang et al., ICCV 2021): models, training core, weights and inference (platform-neutral). */
export { flowModelConfig, modelMultiple, type FlowModelConfig, type FlowModelKind, type FlowSize } from './config.js';
export { flowParamCount, flowParams, type FlowNetConfig } from './flownet.js';
export {
  bicubicDown,
  bicubicUp,
  modcrop,
  pixelDiversity,
  scoreRescaling,
  scoreSuperResolution,
  srPsnr,
  type RescalingScore,
  type SrScore,
  type SrScoreOptions,
} from './evaluate.js';
export { decodeTrainingCheckpoint, encodeTrainingCheckpoint, type TrainingCheckpoint, type TrainingData } from './train-checkpoint.js';
export {
  lossEvery,
  runFlowTraining,
  startFlowRun,
  type FlowRun,
  type FlowRunSettings,
  type RunHooks,
  type StopCause,
  type TrainingHistory,
} from './training-run.js';
export { lossChart, validationChart } from './training-charts.js';
export { flowValidator, type ValidationFigures } from './validation.js';
export { rescaleDown, rescaleUp, sampleSuperResolution, type LoadedFlow, type UpOptions } from './inference.js';
export { PatchSampler, prepareTrainingImage, type Augment, type PatchOptions, type TrainingImage } from './patches.js';
export {
  initialFlowParams,
  learningRate,
  MILESTONE_FRACTIONS,
  scaledMilestones,
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
