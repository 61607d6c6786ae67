/**
 * The browser entry 'deep-prior/web' (src/web.ts): published in package.json, no Node module anywhere
 * in its import graph, and its `restore` runs a fit on onnxruntime-web (WebAssembly here in Node,
 * where there is no navigator.gpu).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/image.js';
import * as web from '../src/web.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODE_ONLY_PACKAGES = ['onnxruntime-node', 'sharp'];

/** Every module specifier in a TypeScript source: import/export … from, side-effect imports, import(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) found.push(m[1]);
  return found;
}

/** Walks the relative imports from `entry`; returns the bare specifiers with the file importing each. */
function externalImports(entry: string): { specifier: string; from: string }[] {
  const seen = new Set<string>();
  const external: { specifier: string; from: string }[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const s of specifiers(readFileSync(file, 'utf8'))) {
      if (s.startsWith('.')) visit(path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
      else external.push({ specifier: s, from: path.relative(root, file) });
    }
  };
  visit(path.join(root, entry));
  expect(seen.size).toBeGreaterThan(10); // the walk really followed the library's modules
  return external;
}

function isNodeOnly(specifier: string): boolean {
  const name = specifier.replace(/^node:/, '').split('/')[0];
  return specifier.startsWith('node:') || builtinModules.includes(name) || NODE_ONLY_PACKAGES.includes(name);
}

describe('browser entry deep-prior/web', () => {
  it('is published with its types, built from src/web.ts', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./web']).toEqual({ types: './dist/web.d.ts', import: './dist/web.js' });
    const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
    expect([tsconfig.compilerOptions.rootDir, tsconfig.compilerOptions.outDir]).toEqual(['src', 'dist']);
  });

  it('imports no Node module, directly or through any module it loads', () => {
    const external = externalImports('src/web.ts');
    expect(external.map((e) => e.specifier)).toContain('onnxruntime-web/webgpu');
    expect(external.filter((e) => isNodeOnly(e.specifier))).toEqual([]);
    // The check itself catches them: the Node entry's graph has node: imports, onnxruntime-node and sharp.
    const nodeEntry = externalImports('src/node.ts').filter((e) => isNodeOnly(e.specifier));
    expect(nodeEntry.map((e) => e.specifier)).toEqual(expect.arrayContaining(['node:fs', 'onnxruntime-node', 'sharp']));
  });

  it('exposes restore, webPlatform and the platform-neutral API', () => {
    expect(typeof web.restore).toBe('function');
    expect(typeof web.restoreWith).toBe('function');
    expect(typeof web.fromImageData).toBe('function');
    const platform = web.webPlatform();
    expect(platform.name).toBe('browser');
    expect(platform.candidates()).toEqual(['webgpu', 'wasm']);
    expect('readImage' in web).toBe(false);
  });

  it('restore runs a small fit on onnxruntime-web (WebAssembly in Node)', async () => {
    const image = createImage(16, 16, 3);
    for (let i = 0; i < image.data.length; i++) image.data[i] = 0.5 + 0.4 * Math.sin(i / 7);
    const r = await web.restore({ task: 'denoise', image, iterations: 3, stop: 'fixed', seed: 1, channels: 8 });
    expect(r.backend).toBe('wasm');
    expect(r.iterations).toBe(3);
    expect([r.image.width, r.image.height, r.image.channels]).toEqual([16, 16, 3]);
    expect(r.history.every((h) => Number.isFinite(h.loss))).toBe(true);
  });
});
