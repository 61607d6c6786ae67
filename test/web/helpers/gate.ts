/**
 * Whether the browser tests run here: they need Debian's chromium (scripts/install-chromium.sh). Where
 * CI or DEEP_PRIOR_E2E=1 is set (.ci/run sets it) a missing chromium fails the run; elsewhere the
 * tests are skipped with the reason printed.
 */
import { existsSync } from 'node:fs';

export type Gate = { chromium: string } | { skip: string };

export function e2eGate(env: Record<string, string | undefined> = process.env): Gate {
  const chromium = env.DEEP_PRIOR_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return { chromium };
  const why = `chromium not found at ${chromium} (run scripts/install-chromium.sh, or set DEEP_PRIOR_CHROMIUM)`;
  if (isSet(env.CI) || isSet(env.DEEP_PRIOR_E2E)) throw new Error(`the browser tests must run here (CI or DEEP_PRIOR_E2E is set), but ${why}`);
  return { skip: why };
}

const isSet = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v !== 'false';
