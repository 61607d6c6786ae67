/** Where the browser tests find the app's Vite config and its test build. */
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const VITE_CONFIG = fileURLToPath(new URL('../../../web/vite.config.ts', import.meta.url));
export const E2E_BUILD = fileURLToPath(new URL('../../../out/web-e2e', import.meta.url));
