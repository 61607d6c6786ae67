/**
 * The browser-safe part of the image module (no Node imports). Node callers add
 * io-node.ts (files, JPEG, resizing) and text-node.ts (text overlays).
 */
export * from './image.js';
export * from './quantize.js';
export * from './metrics.js';
export * from './degrade.js';
export * from './masks.js';
export * from './lanczos.js';
export { sniffFormat, pngIsComplete, type SniffedFormat } from './sniff.js';
export { decodeBmp } from './bmp.js';
export { encodeTiff16 } from './tiff.js';
export * from './metadata.js';
export { exifProblem, exifWithUprightOrientation, exifTiffBlock } from './exif.js';
export * from './imagedata.js';
export * from './resample.js';
