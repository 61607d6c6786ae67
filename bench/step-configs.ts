/** The denoise configurations whose step cost bench/step-cost.ts measures and bench/stream-weight.ts fits. */
import type { RestoreOptions } from '../src/node.js';

export const STEP_CONFIGS: Record<string, Partial<RestoreOptions>> = {
  fast: { preset: 'fast' },
  'pyramid-128': { preset: 'fast', widthProfile: 'pyramid', channels: 128 },
  'pyramid-96': { preset: 'fast', widthProfile: 'pyramid', channels: 96 },
  'pyramid-64': { preset: 'fast', widthProfile: 'pyramid', channels: 64 },
  lite: { preset: 'lite' },
  drp: { preset: 'drp' },
  paper: { preset: 'paper' },
};
