/** The shared sample data (`../shared/data` beside the checkout; DEEP_PRIOR_DATA overrides it). */
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = process.env.DEEP_PRIOR_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
