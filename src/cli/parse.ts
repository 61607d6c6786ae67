/**
 * Command-line value parsing: strings from commander → numbers, with one-line InputErrors that
 * name the flag. Ranges of restore settings are checked by src/validate.ts, not here; only the
 * CLI's own options (--every, --bit-depth, ...) are range-checked in this file.
 */
import { InputError } from '../util/errors.js';

/** A decimal or scientific number, or a fraction such as 1/30; undefined stays undefined. */
export function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  const frac = /^([^/]+)\/([^/]+)$/.exec(s);
  const n = frac ? toNumber(frac[1]) / toNumber(frac[2]) : toNumber(s);
  if (!Number.isFinite(n)) throw new InputError(`${flag} must be a number, got "${value}"`, { code: 'BAD_OPTION' });
  return n;
}

function toNumber(s: string): number {
  const t = s.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/** A whole number in [min, max] (for the CLI's own options). */
export function parseInteger(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  const n = parseNumber(flag, value);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(`${flag} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${value}`, { code: 'BAD_OPTION' });
  }
  return n;
}

/** One of a fixed set of strings. */
export function parseChoice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) {
    throw new InputError(`${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}, got "${value}"`, { code: 'BAD_OPTION' });
  }
  return value as T;
}

export function parseBitDepth(value: string | undefined): 8 | 16 | undefined {
  const n = parseNumber('--bit-depth', value);
  if (n === undefined) return undefined;
  if (n !== 8 && n !== 16) throw new InputError(`--bit-depth must be 8 or 16, got ${value}`, { code: 'BAD_OPTION' });
  return n;
}
