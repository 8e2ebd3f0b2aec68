/**
 * Writes small ONNX models from TypeScript (protobuf encoded by hand), so tests can exercise the
 * real onnxruntime without Python or committed binaries. Only the fields these graphs need:
 * ModelProto{ir_version, opset_import, graph}, GraphProto{node, initializer, input, output},
 * NodeProto{input, output, op_type, attribute}, TensorProto (float / int64), ValueInfoProto.
 */

type Bytes = number[];

function varint(n: number | bigint, out: Bytes): void {
  let v = BigInt.asUintN(64, BigInt(n));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

function key(field: number, wire: number, out: Bytes): void {
  varint((field << 3) | wire, out);
}

function fieldVarint(field: number, n: number | bigint, out: Bytes): void {
  key(field, 0, out);
  varint(n, out);
}

function fieldBytes(field: number, bytes: Bytes | Uint8Array, out: Bytes): void {
  key(field, 2, out);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

function fieldString(field: number, s: string, out: Bytes): void {
  fieldBytes(field, [...Buffer.from(s, 'utf8')], out);
}

function fieldFloat(field: number, f: number, out: Bytes): void {
  key(field, 5, out);
  const b = Buffer.alloc(4);
  b.writeFloatLE(f);
  out.push(...b);
}

function packedFloats(field: number, values: ArrayLike<number>, out: Bytes): void {
  const b = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) b.writeFloatLE(values[i], i * 4);
  fieldBytes(field, [...b], out);
}

function packedVarints(field: number, values: readonly number[], out: Bytes): void {
  const body: Bytes = [];
  for (const v of values) varint(v, body);
  fieldBytes(field, body, out);
}

export type AttributeValue = number | number[] | string | { floats: number[] } | { float: number };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface TensorSpec {
  name: string;
  dims: number[];
  /** float32 values, or int64 values when `int64` is set. */
  values: ArrayLike<number>;
  int64?: boolean;
}

export interface ValueSpec {
  name: string;
  /** Numbers are fixed sizes, strings symbolic (dynamic) sizes. */
  dims: (number | string)[];
}

export interface GraphSpec {
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  opset?: number;
}

function attribute(name: string, value: AttributeValue): Bytes {
  const out: Bytes = [];
  fieldString(1, name, out);
  if (typeof value === 'number') {
    fieldVarint(3, value, out);
    fieldVarint(20, 2, out); // INT
  } else if (typeof value === 'string') {
    fieldBytes(4, [...Buffer.from(value, 'utf8')], out);
    fieldVarint(20, 3, out); // STRING
  } else if (Array.isArray(value)) {
    packedVarints(8, value, out);
    fieldVarint(20, 7, out); // INTS
  } else if ('floats' in value) {
    packedFloats(7, value.floats, out);
    fieldVarint(20, 6, out); // FLOATS
  } else {
    fieldFloat(2, value.float, out);
    fieldVarint(20, 1, out); // FLOAT
  }
  return out;
}

function node(spec: NodeSpec, index: number): Bytes {
  const out: Bytes = [];
  for (const i of spec.inputs) fieldString(1, i, out);
  for (const o of spec.outputs) fieldString(2, o, out);
  fieldString(3, `${spec.op.toLowerCase()}_${index}`, out);
  fieldString(4, spec.op, out);
  for (const [name, value] of Object.entries(spec.attributes ?? {}))
    fieldBytes(5, attribute(name, value), out);
  return out;
}

function tensor(spec: TensorSpec): Bytes {
  const out: Bytes = [];
  for (const d of spec.dims) fieldVarint(1, d, out);
  fieldVarint(2, spec.int64 ? 7 : 1, out);
  fieldString(8, spec.name, out);
  const raw = Buffer.alloc(spec.values.length * (spec.int64 ? 8 : 4));
  for (let i = 0; i < spec.values.length; i++) {
    if (spec.int64) raw.writeBigInt64LE(BigInt(spec.values[i]), i * 8);
    else raw.writeFloatLE(spec.values[i], i * 4);
  }
  fieldBytes(9, raw, out);
  return out;
}

function valueInfo(spec: ValueSpec): Bytes {
  const shape: Bytes = [];
  for (const d of spec.dims) {
    const dim: Bytes = [];
    if (typeof d === 'number') fieldVarint(1, d, dim);
    else fieldString(2, d, dim);
    fieldBytes(1, dim, shape);
  }
  const tensorType: Bytes = [];
  fieldVarint(1, 1, tensorType); // FLOAT
  fieldBytes(2, shape, tensorType);
  const type: Bytes = [];
  fieldBytes(1, tensorType, type);
  const out: Bytes = [];
  fieldString(1, spec.name, out);
  fieldBytes(2, type, out);
  return out;
}

/** Serialises the graph as an ONNX model (IR 8, default opset 13). */
export function onnxModel(spec: GraphSpec): Uint8Array {
  const graph: Bytes = [];
  spec.nodes.forEach((n, i) => fieldBytes(1, node(n, i), graph));
  fieldString(2, 'medlab_test_graph', graph);
  for (const t of spec.initializers ?? []) fieldBytes(5, tensor(t), graph);
  for (const v of spec.inputs) fieldBytes(11, valueInfo(v), graph);
  for (const v of spec.outputs) fieldBytes(12, valueInfo(v), graph);
  const opset: Bytes = [];
  fieldString(1, '', opset);
  fieldVarint(2, spec.opset ?? 13, opset);
  const model: Bytes = [];
  fieldVarint(1, 8, model);
  fieldString(2, 'medlab-tests', model);
  fieldBytes(7, graph, model);
  fieldBytes(8, opset, model);
  return Uint8Array.from(model);
}

export interface CamClassifierSpec {
  /** Input height and width. */
  size: number;
  /** Per class: score = weight * mean(normalised pixel) + bias. */
  weights: number[];
  biases: number[];
  /** Emit softmax probabilities (default) or raw logits. */
  scoreType?: 'probabilities' | 'logits';
  /** Fixed batch size instead of a dynamic one. */
  batch?: number;
  channels?: number;
  inputName?: string;
}

/**
 * A tiny image classifier with the outputs MedLab's X-ray models have:
 * cam[n,k,y,x] = w_k * mean_c(x[n,c,y,x]) + b_k (a 1x1 convolution), logits = spatial mean of cam,
 * probabilities = softmax(logits), features = logits. Its answers are easy to compute by hand.
 */
export function camClassifier(spec: CamClassifierSpec): Uint8Array {
  const k = spec.weights.length;
  const c = spec.channels ?? 1;
  const n: number | string = spec.batch ?? 'n';
  const input = spec.inputName ?? 'input';
  const convWeights: number[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < c; j++) convWeights.push(spec.weights[i] / c);
  const logits = spec.scoreType === 'logits';
  return onnxModel({
    initializers: [
      { name: 'w', dims: [k, c, 1, 1], values: convWeights },
      { name: 'b', dims: [k], values: spec.biases },
    ],
    nodes: [
      { op: 'Conv', inputs: [input, 'w', 'b'], outputs: ['cam'], attributes: { kernel_shape: [1, 1] } },
      { op: 'GlobalAveragePool', inputs: ['cam'], outputs: ['pooled'] },
      { op: 'Flatten', inputs: ['pooled'], outputs: ['features'], attributes: { axis: 1 } },
      logits
        ? { op: 'Identity', inputs: ['features'], outputs: ['logits'] }
        : { op: 'Softmax', inputs: ['features'], outputs: ['probabilities'], attributes: { axis: 1 } },
    ],
    inputs: [{ name: input, dims: [n, c, spec.size, spec.size] }],
    outputs: [
      { name: logits ? 'logits' : 'probabilities', dims: [n, k] },
      { name: 'cam', dims: [n, k, spec.size, spec.size] },
      { name: 'features', dims: [n, k] },
    ],
  });
}
