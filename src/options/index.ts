/** Options of a restoration: the table, the value kinds, the names and the types (the validator is src/validate.ts). */
export * from './names.js';
export * from './types.js';
export { RESTORE_OPTIONS, MIN_SIDE, MAX_ITERATIONS, type OptionSpec, type RestoreOptionKey } from './table.js';
export { ARCH_AUTO, isArchName, type ArchOption } from './arch.js';
export { LIBRARY_NAMING, flagNaming, type Naming } from './naming.js';
export type { Kind, ValueOf } from './kinds.js';
