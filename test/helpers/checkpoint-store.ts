/** A checkpoint store in memory that keeps the encoded bytes, as the file store does, and every save. */
import { decodeCheckpoint, encodeCheckpoint } from '../../src/cli/checkpoint-node.js';
import type { CheckpointData, CheckpointStore } from '../../src/options/index.js';

export interface MemoryStore extends CheckpointStore {
  /** Every checkpoint saved, in order (as saved, before encoding). */
  readonly saves: CheckpointData[];
  /** The last checkpoint, decoded from its bytes; null before the first save. */
  readonly data: CheckpointData | null;
}

export function memoryStore(): MemoryStore {
  const saves: CheckpointData[] = [];
  let bytes: Uint8Array | null = null;
  return {
    saves,
    get data() {
      return bytes && decodeCheckpoint(bytes);
    },
    load: async () => (bytes ? decodeCheckpoint(bytes) : null),
    save: async (d) => {
      saves.push(d);
      bytes = encodeCheckpoint(d);
    },
  };
}
