/**
 * The browser app's build: a static site that runs deep-prior on the visitor's own device.
 * `npm run web` serves it, `npm run build:web` writes dist/web/ (host it anywhere, under any path).
 * Multi-threaded WebAssembly needs cross-origin isolation: the dev and preview servers send the
 * headers, and the service worker (src/sw.ts) adds them where a host cannot (it also keeps the
 * app for offline use). onnxruntime-web's WebAssembly files are served from the app's own origin.
 */
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { ortFiles } from './build/ort-files.js';
import { serviceWorker } from './build/service-worker.js';

const webDir = fileURLToPath(new URL('.', import.meta.url));

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  root: webDir,
  base: './',
  // onnxruntime-web's build that loads its .wasm and .mjs from env.wasm.wasmPaths (our own ort/ folder)
  // instead of inlining or guessing their location.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  server: { headers: ISOLATION_HEADERS, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: fileURLToPath(new URL('index.html', import.meta.url)), sw: fileURLToPath(new URL('src/sw.ts', import.meta.url)) },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  plugins: [ortFiles(), serviceWorker()],
});
