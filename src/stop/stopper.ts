/**
 * A stopping rule watches the estimates of a fit (no ground truth) and says when to stop and which
 * iterate to return. Rules live in this folder; the fit loop only knows this interface.
 */
export interface Stopper {
  readonly name: string;
  /** Called after every iteration with the returned-kind estimate and the raw output (planar, canvas-sized). */
  observe(iteration: number, estimate: Float32Array, raw: Float32Array): boolean;
  /** The iterate to return, or null for "the last one". */
  best(): { iteration: number; output: Float32Array } | null;
  /** Why it stopped, for the report. */
  describe(): string;
}
