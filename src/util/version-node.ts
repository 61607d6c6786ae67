/** deep-prior's version from package.json (Node only); src/ and dist/ both sit two levels below the package root. */
import { readFileSync } from 'node:fs';

export const PACKAGE_ROOT = new URL('../../', import.meta.url);

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
