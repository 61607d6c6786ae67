/**
 * Value kinds of the option table: what a value must be, how the command line's text becomes one,
 * and how to say both in a message or a help line. Each kind is a few lines on purpose: the
 * messages must name the option the way its caller spells it (`regNoise` for the library,
 * `--reg-noise` for the CLI) and state the range as the help does, which a generic schema
 * library's messages do not.
 */
import type { Image } from '../image/image.js';

export interface Kind<V> {
  /** Null when `v` is a valid value, else what it must be ("a whole number from 1 to 10"). */
  problem(v: unknown): string | null;
  /** The command line's text → a value of the kind (not yet range-checked); throws a plain message. */
  parse(text: string): V;
  /** How a refused value is shown in "got ...", where the generic `show` would hide it ("an array"). */
  show?(v: unknown): string;
  /** For help: what the value is. */
  readonly describe: string;
  /** The values of a closed set (choice kinds only). */
  readonly choices?: readonly unknown[];
  /** An image value (the CLI reads it from a file). */
  readonly image?: true;
  /** An on/off switch (a bare flag on the command line, a checkbox in the browser app). */
  readonly flag?: true;
  /** Phantom: the value type, for deriving the option types from the table. */
  readonly _value?: V;
}

export type ValueOf<K> = K extends Kind<infer V> ? V : never;

const fmt = (n: number) => n.toLocaleString('en-US');

/** A decimal or scientific number, or a fraction such as 1/30 (the notebooks' reg-noise). */
export function parseDecimal(text: string): number {
  const s = text.trim();
  const frac = /^([^/]+)\/([^/]+)$/.exec(s);
  const n = frac ? plain(frac[1]) / plain(frac[2]) : plain(s);
  if (!Number.isFinite(n)) throw new Error('a number');
  return n;
}

function plain(s: string): number {
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim()) ? Number(s.trim()) : Number.NaN;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function int(min: number, max: number): Kind<number> {
  const describe = `a whole number from ${fmt(min)} to ${fmt(max)}`;
  return {
    describe,
    problem: (v) => (isNum(v) && Number.isInteger(v) && v >= min && v <= max ? null : describe),
    parse: parseDecimal,
  };
}

export interface Range {
  min?: number;
  max?: number;
  /** min itself is not allowed. */
  aboveMin?: boolean;
  /** max itself is not allowed. */
  belowMax?: boolean;
  /** Said after the range: "0.01 is typical", "0 = off". */
  hint?: string;
}

export function num(r: Range): Kind<number> {
  const describe = `a number ${rangeText(r)}${r.hint ? ` (${r.hint})` : ''}`;
  const inside = (v: number) =>
    (r.min === undefined || (r.aboveMin ? v > r.min : v >= r.min)) && (r.max === undefined || (r.belowMax ? v < r.max : v <= r.max));
  return { describe, problem: (v) => (isNum(v) && inside(v) ? null : describe), parse: parseDecimal };
}

function rangeText(r: Range): string {
  if (r.min !== undefined && r.max === undefined) return r.aboveMin ? `greater than ${r.min}` : `≥ ${r.min}`;
  if (r.min === undefined && r.max !== undefined) return r.belowMax ? `below ${r.max}` : `≤ ${r.max}`;
  if (r.min === undefined || r.max === undefined) return '';
  if (r.aboveMin) return `greater than ${r.min} and ${r.belowMax ? 'below' : 'at most'} ${r.max}`;
  return r.belowMax ? `from ${r.min} up to (not including) ${r.max}` : `from ${r.min} to ${r.max}`;
}

/** "a, b or c". */
export function listOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function choice<const T extends string | number>(values: readonly T[]): Kind<T> {
  const describe = listOr(values.map(String));
  return {
    describe,
    choices: values,
    problem: (v) => (values.includes(v as T) ? null : describe),
    parse: (text) => {
      const hit = values.find((x) => String(x) === text.trim());
      if (hit === undefined) throw new Error(describe);
      return hit;
    },
  };
}

/** An on/off switch (a flag without a value on the command line). */
export function flag(): Kind<boolean> {
  return { describe: 'true or false', flag: true, problem: (v) => (typeof v === 'boolean' ? null : 'true or false'), parse: () => true };
}

/** Free text that `valid` accepts. */
export function text(describe: string, valid: (s: string) => boolean = () => true): Kind<string> {
  return {
    describe,
    problem: (v) => (typeof v === 'string' && valid(v) ? null : describe),
    parse: (s) => s,
  };
}

/** A decoded image value (the library's input; the CLI reads a file into one). Checked in detail by images.ts. */
export function image(describe: string): Kind<Image> {
  return {
    describe,
    image: true,
    problem: (v) => (v !== null && typeof v === 'object' ? null : describe),
    parse: () => {
      throw new Error('an image file');
    },
  };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};

/** A byte count; on the command line "512M", "2G", "1.5GB" or a plain number of bytes. */
export function bytes(min: number): Kind<number> {
  const describe = `a size of at least ${formatBytes(min)} (e.g. 512M, 2G)`;
  return {
    describe,
    problem: (v) => (isNum(v) && v >= min ? null : describe),
    // In the unit the message asks for ("got 10 MB", not "got 10485760").
    show: (v) => (isNum(v) ? formatBytes(v) : show(v)),
    parse: (s) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?)\s*$/i.exec(s);
      if (!m) throw new Error(describe);
      return Math.round(Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()]);
    },
  };
}

/** "1.5 GB", "512 MB", "900 kB". */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

/** How a value is shown in "got ..." (strings quoted, objects by kind). */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return typeof v === 'object' ? (Array.isArray(v) ? 'an array' : 'an object') : String(v);
}
