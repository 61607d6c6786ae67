/**
 * Finishes the service worker (src/sw.ts, built as sw.js): writes into it the list of every file of
 * the build, which it caches on install so the app works offline, and a version derived from that
 * list and the files' contents, so a new build replaces the old cache.
 */
import { createHash } from 'node:crypto';
import type { OutputChunk } from 'rollup';
import type { Plugin } from 'vite';

export const SW_FILE = 'sw.js';
/** The string src/sw.ts holds where the manifest goes (either quote style: formatters and minifiers differ). */
const PLACEHOLDER = /(["'])__PRECACHE_MANIFEST__\1/;

export function serviceWorker(): Plugin {
  return {
    name: 'deep-prior-service-worker',
    enforce: 'post',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sw = bundle[SW_FILE] as OutputChunk | undefined;
      if (!sw || !PLACEHOLDER.test(sw.code)) this.error(`${SW_FILE} lacks the precache placeholder __PRECACHE_MANIFEST__`);
      const files = Object.keys(bundle)
        .filter((f) => f !== SW_FILE && !f.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const item = bundle[f];
        hash.update(f).update(item.type === 'chunk' ? item.code : item.source);
      }
      const version = hash.digest('hex').slice(0, 16);
      sw!.code = sw!.code.replace(PLACEHOLDER, JSON.stringify({ version, files: ['./', ...files] }));
    },
  };
}
