/** The graph layer: typed ops with shape checks, reverse-mode differentiation, ONNX emission. */
export * from './graph.js';
export * from './autodiff.js';
export * from './onnx.js';
export * from './ops/elementwise.js';
export * from './ops/shape.js';
export * from './ops/reduce.js';
export * from './ops/conv.js';
export * from './ops/sampling.js';
export * from './ops/norm.js';
export * from './ops/loss.js';
export * from './ops/random.js';
