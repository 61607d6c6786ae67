/**
 * Arrays a step graph's state may live in: host Float32Arrays, or outputs left on the device where
 * the backend computed them (WebGPU buffers in onnxruntime-web) and fed back as the next step's
 * inputs without a copy. The fit loop treats both alike through `retain`, `release` and `toHost`;
 * for host arrays they cost nothing, so the CPU path is unchanged.
 */
import { EngineError } from '../util/errors.js';

/** What this file needs of an ONNX Runtime tensor that lives on a device. */
export interface DeviceTensor {
  getData(): Promise<unknown>;
  dispose(): void;
}

/** An output kept on the device. Shared by reference counting: the buffer is freed when its last owner lets go. */
export class DeviceArray {
  private owners = 1;

  constructor(
    private readonly handle: DeviceTensor,
    readonly length: number,
  ) {}

  /** The ONNX Runtime tensor, to feed it back as an input. */
  get tensor(): DeviceTensor {
    if (this.owners <= 0) throw new EngineError('a device tensor was used after it was released (a fit-state bookkeeping error)');
    return this.handle;
  }

  get released(): boolean {
    return this.owners <= 0;
  }

  /** One more owner (a saved copy of the weights, say). */
  retain(): this {
    void this.tensor;
    this.owners++;
    return this;
  }

  /** One owner less; the last one frees the device buffer. */
  release(): void {
    if (this.owners <= 0) return;
    if (--this.owners === 0) this.handle.dispose();
  }

  /** A host copy (checkpoints, the rare backtracking step). */
  async download(): Promise<Float32Array> {
    return (await this.tensor.getData()) as Float32Array;
  }
}

/** A fit-state array: on the host, or on the device. */
export type StateArray = Float32Array | DeviceArray;

export function retain<T extends StateArray>(a: T): T {
  if (a instanceof DeviceArray) a.retain();
  return a;
}

export function release(a: StateArray | undefined): void {
  if (a instanceof DeviceArray) a.release();
}

export function releaseAll(arrays: Iterable<StateArray>): void {
  for (const a of arrays) release(a);
}

export async function toHost(a: StateArray): Promise<Float32Array> {
  return a instanceof DeviceArray ? a.download() : a;
}
