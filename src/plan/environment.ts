/**
 * What the plan needs to know about the machine, injected so the core stays free of Node modules:
 * how much memory is free, this process's resident memory (to calibrate the memory model), where
 * calibrations are cached, and what identifies the machine and the deep-prior version they were
 * measured with. Every part is optional: without it the plan falls back to shipped defaults and
 * says so.
 */
export interface PlanEnvironment {
  /** Bytes of memory available to this process now (free memory, or a container's limit), when known. */
  availableMemory?(): number | undefined;
  /**
   * Bytes free on the CUDA device now (device 0, the one ONNX Runtime's CUDA provider uses), when a
   * driver tool reports it: ONNX Runtime itself does not.
   */
  gpuFreeMemory?(): number | undefined;
  /** Resident bytes of this process now. */
  residentBytes?(): number;
  /** Peak resident bytes of this process since the last resetPeak (or its start). */
  peakResidentBytes?(): number;
  /** Restarts the peak count; false when the system cannot (then peaks only grow). */
  resetPeak?(): boolean;
  /**
   * CPU seconds this process has used (user + system). With it the CPU backend is calibrated on CPU
   * time per step ÷ threads, which other programs on the machine do not inflate the way they do wall time.
   */
  cpuSeconds?(): number;
  /** Where measured calibrations are kept between runs, under a key (machine, backend, threads, version). */
  cache?: CalibrationCache;
  /** A short description of the machine (CPU model, cores, memory), part of the cache key. */
  machine?: string;
  /** deep-prior's version, part of the cache key. */
  version?: string;
  /** Set: never run the calibration probes, use the shipped calibration, for this reason (e.g. test runs). */
  shippedOnly?: string;
}

export interface CalibrationCache {
  read(key: string): Promise<string | null>;
  write(key: string, text: string): Promise<void>;
  /** Where it is, for messages. */
  readonly location: string;
}

/** Share of the available memory a fit may take by default: the rest is left to the system and other programs. */
export const SAFE_MEMORY_SHARE = 0.75;
