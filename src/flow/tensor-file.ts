/**
 * The container of the flows' files (weights, training checkpoints): 8 magic bytes, a little-endian
 * uint32 manifest length, the manifest (UTF-8 JSON, which records the tensors' shapes and an FNV-1a
 * checksum of their bytes), zero padding to a multiple of 4, then every tensor as float32 LE in
 * manifest order. Reading refuses a foreign, truncated or corrupt file through the caller's `bad`,
 * which words the one-line message for its option. Pure (browser too).
 */

const LENGTH_BYTES = 4;

/** Builds the one-line error of the option the file came from: bad('is truncated …'). */
export type Refusal = (why: string) => Error;

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function dataBytes(tensors: readonly Float32Array[]): Uint8Array {
  const out = new Uint8Array(tensors.reduce((s, t) => s + t.byteLength, 0));
  const view = new DataView(out.buffer);
  let o = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++, o += 4) view.setFloat32(o, t[i], true);
  return out;
}

/** The checksum a manifest records for these tensors. */
export function tensorChecksum(tensors: readonly Float32Array[]): string {
  return fnv1a(dataBytes(tensors));
}

/** The file bytes; the manifest's `checksum` is set from the tensors. */
export function encodeTensorFile(magic: string, manifest: object, tensors: readonly Float32Array[]): Uint8Array {
  const data = dataBytes(tensors);
  const json = new TextEncoder().encode(JSON.stringify({ ...manifest, checksum: fnv1a(data) }));
  const header = magic.length + LENGTH_BYTES;
  const start = Math.ceil((header + json.length) / 4) * 4;
  const out = new Uint8Array(start + data.length);
  out.set(new TextEncoder().encode(magic), 0);
  new DataView(out.buffer).setUint32(magic.length, json.length, true);
  out.set(json, header);
  out.set(data, start);
  return out;
}

export interface TensorFile {
  manifest: Record<string, unknown> & { checksum?: unknown };
  /** The tensor bytes, not yet checked (see readTensors). */
  data: Uint8Array;
}

/** The manifest and data of a file with this magic; `what` names the expected kind of file in the refusal. */
export function decodeTensorFile(bytes: Uint8Array, magic: string, what: string, bad: Refusal): TensorFile {
  const header = magic.length + LENGTH_BYTES;
  if (bytes.length < header || new TextDecoder().decode(bytes.subarray(0, magic.length)) !== magic) throw bad(`is not ${what}`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(magic.length, true);
  if (header + length > bytes.length) throw bad('is truncated (the manifest is cut off): copy it again');
  let manifest: TensorFile['manifest'];
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(header, header + length)));
  } catch {
    throw bad('is corrupt (unreadable manifest): copy it again');
  }
  if (manifest === null || typeof manifest !== 'object') throw bad('is corrupt (the manifest is not an object): copy it again');
  return { manifest, data: bytes.subarray(Math.ceil((header + length) / 4) * 4) };
}

/** The tensors of the given shapes, after checking the byte count and the manifest's checksum. */
export function readTensors(file: TensorFile, shapes: readonly number[][], bad: Refusal): Float32Array[] {
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const want = 4 * sizes.reduce((a, b) => a + b, 0);
  const { data } = file;
  if (data.length !== want) throw bad(`is truncated or corrupt (${data.length} of ${want} data bytes): copy it again`);
  if (fnv1a(data) !== file.manifest.checksum) throw bad('is corrupt (checksum mismatch): copy it again');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let o = 0;
  return sizes.map((n) => {
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++, o += 4) t[i] = view.getFloat32(o, true);
    return t;
  });
}
