/** How the app names an option: its command-line flag without the dashes (the README and --help use the same words). */
import { RESTORE_OPTIONS } from '../../src/index.js';

export function optionLabel(key: string): string {
  const spec = (RESTORE_OPTIONS as Record<string, { flag?: string }>)[key];
  return spec?.flag?.replace(/^--/, '') ?? key;
}
