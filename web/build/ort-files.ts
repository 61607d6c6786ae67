/**
 * onnxruntime-web's WebAssembly runtime served from the app's own origin: under ort/ in the dev
 * server and copied into the build. The WebGPU build of onnxruntime-web (which also runs the
 * WebAssembly backend) needs its asyncify .mjs loader and .wasm binary.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export const ORT_DIR = 'ort';
export const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

const dist = dirname(createRequire(import.meta.url).resolve(`onnxruntime-web/${ORT_FILES[1]}`));
const MIME: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

export function ortFiles(): Plugin {
  return {
    name: 'deep-prior-ort-files',
    configureServer(server) {
      server.middlewares.use(`/${ORT_DIR}/`, (req, res, next) => {
        const name = (req.url ?? '').split('?')[0].replace(/^\//, '');
        if (!ORT_FILES.includes(name)) return next();
        res.setHeader('Content-Type', MIME[name.slice(name.lastIndexOf('.'))]);
        res.end(readFileSync(join(dist, name)));
      });
    },
    generateBundle() {
      for (const name of ORT_FILES) this.emitFile({ type: 'asset', fileName: `${ORT_DIR}/${name}`, source: readFileSync(join(dist, name)) });
    },
  };
}
