/**
 * Serialises a Graph to an ONNX ModelProto (protobuf wire format, written by hand: the schema
 * subset we need is small and stable, and this keeps the core free of a protobuf dependency).
 * Nodes that no graph output depends on are dropped here (dead-code elimination), which lets
 * backward rules emit every input gradient and leave the pruning to one place.
 */
import type { AttrValue, DType, Graph, Node, Value } from './graph.js';

export const OPSET = 18;

const ELEM: Record<DType, number> = { float32: 1, bool: 9, int64: 7, uint32: 12 };

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(b: Uint8Array) {
    this.chunks.push(b);
    this.size += b.length;
  }

  varint(n: number | bigint) {
    let v = BigInt.asUintN(64, BigInt(n));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  tag(field: number, wire: number) {
    this.varint((field << 3) | wire);
  }

  int(field: number, n: number) {
    this.tag(field, 0);
    this.varint(n);
  }

  float(field: number, x: number) {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, x, true);
    this.push(b);
  }

  bytes(field: number, b: Uint8Array) {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  string(field: number, s: string) {
    this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void) {
    const w = new Writer();
    build(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function writeValueInfo(w: Writer, v: Value) {
  w.string(1, v.name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, ELEM[v.dtype]);
      tt.message(2, (s) => {
        for (const d of v.shape) s.message(1, (dim) => dim.int(1, d));
      });
    }),
  );
}

function writeTensor(w: Writer, v: Value, data: Float32Array | BigInt64Array | Uint32Array | Uint8Array) {
  for (const d of v.shape) w.int(1, d);
  w.int(2, ELEM[v.dtype]);
  w.string(8, v.name);
  w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function writeAttr(w: Writer, name: string, a: AttrValue) {
  w.string(1, name);
  if (typeof a === 'number') {
    if (Number.isInteger(a) && !FLOAT_ATTRS.has(name)) {
      w.int(3, a);
      w.int(20, 2);
    } else {
      w.float(2, a);
      w.int(20, 1);
    }
  } else if (typeof a === 'string') {
    w.string(4, a);
    w.int(20, 3);
  } else if (Array.isArray(a)) {
    for (const x of a) w.int(8, x);
    w.int(20, 7);
  } else if ('floats' in a) {
    for (const x of a.floats) w.float(7, x);
    w.int(20, 6);
  } else {
    w.int(3, a.int);
    w.int(20, 2);
  }
}

/** Attributes ONNX declares as float even when the value happens to be integral. */
const FLOAT_ATTRS = new Set(['alpha', 'beta', 'epsilon', 'gamma', 'mean', 'scale', 'seed', 'value_float', 'momentum']);

/** Nodes (in order) that contribute to at least one graph output. */
export function liveNodes(graph: Graph): Node[] {
  const producer = graph.producers();
  const live = new Set<Node>();
  const stack = graph.outputs.map((o) => o.id);
  const seen = new Set<number>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = producer.get(id);
    if (!n || live.has(n)) continue;
    live.add(n);
    for (const i of n.inputs) if (i) stack.push(i.id);
  }
  return graph.nodes.filter((n) => live.has(n));
}

/** Replaces a node by others computing the same outputs (a provider-specific lowering), or null to keep it. */
export type NodeRewrite = (node: Node) => Node[] | null;

/** The nodes toOnnx writes, in order (node k is named `n<k>_<op>`): the live ones, rewritten. */
export function emittedNodes(graph: Graph, rewrite?: NodeRewrite): Node[] {
  const live = liveNodes(graph);
  return rewrite ? live.flatMap((n) => rewrite(n) ?? [n]) : live;
}

export function toOnnx(graph: Graph, rewrite?: NodeRewrite): Uint8Array {
  const nodes = emittedNodes(graph, rewrite);
  const used = new Set<number>();
  for (const n of nodes) for (const i of n.inputs) if (i) used.add(i.id);
  for (const o of graph.outputs) used.add(o.id);
  const w = new Writer();
  w.int(1, 8); // ir_version
  w.string(2, 'deep-prior');
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, OPSET);
  });
  // Operator sets of the other domains the nodes use (ONNX Runtime's contrib ops are all version 1).
  for (const domain of new Set(nodes.map((n) => n.domain).filter((d) => d))) {
    w.message(8, (o) => {
      o.string(1, domain);
      o.int(2, 1);
    });
  }
  w.message(7, (gw) => {
    nodes.forEach((n, k) => {
      gw.message(1, (nw) => {
        for (const i of n.inputs) nw.string(1, i ? i.name : '');
        for (const o of n.outputs) nw.string(2, o.name);
        nw.string(3, `n${k}_${n.op}`);
        nw.string(4, n.op);
        for (const [name, a] of Object.entries(n.attrs)) nw.message(5, (aw) => writeAttr(aw, name, a));
        if (n.domain) nw.string(7, n.domain);
      });
    });
    gw.string(2, graph.name);
    for (const init of graph.initializers) {
      if (used.has(init.value.id)) gw.message(5, (tw) => writeTensor(tw, init.value, init.data));
    }
    for (const v of graph.inputs) gw.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of graph.outputs) gw.message(12, (vw) => writeValueInfo(vw, v));
  });
  return w.finish();
}
