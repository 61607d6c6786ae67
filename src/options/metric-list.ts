/**
 * The value kind of `metrics`: ISNAS-DIP's training-free metric names (src/search/metrics.ts), on the
 * command line as a comma-separated list. A bad name is refused with the names that exist.
 */
import { InputError } from '../util/errors.js';
import { parseMetric } from '../search/metrics.js';
import { show, type Kind } from './kinds.js';

function metricProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'a metric name';
  try {
    parseMetric(name);
    return null;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

export function metricListKind(): Kind<string[]> {
  const describe = 'one or more metric names, comma-separated (e.g. psd-db-strip-mse,psd-strip-hist-emd)';
  return {
    describe,
    problem: (v) => {
      if (!Array.isArray(v) || v.length === 0) return describe;
      const bad = v.map(metricProblem).find((p) => p !== null);
      return bad ? `${describe}; ${bad}` : null;
    },
    parse: (text) => text.split(',').map((s) => s.trim()),
    // As it was typed: "got \"foo,bar\"" rather than "got an array".
    show: (v) => (Array.isArray(v) && v.every((m) => typeof m === 'string') ? show(v.join(',')) : show(v)),
  };
}
