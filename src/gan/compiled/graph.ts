/**
 * A thin TypeScript layer over gankit_tfgraph for building graphs: every helper adds one TensorFlow
 * operation and returns its output as "opName:index" (an `Out`). Shapes are static: a compiled step
 * is built for one batch size, so every shape is known when the graph is built.
 */
import { GankitError } from '../../util/errors.js';
import { DT, type GraphHandle, type RawAttr, type TfGraphAddon } from './native.js';

/** One output of an operation in the graph: "opName:index". */
export type Out = string;

/** The operation name of an output. */
export const opOf = (t: Out): string => t.slice(0, t.lastIndexOf(':'));

/** A resource variable in the graph, fed from and read back to JavaScript. */
export interface GraphVariable {
  /** The VarHandleOp's output. */
  handle: Out;
  shape: number[];
  /** Placeholder that feeds its value, and the AssignVariableOp that stores it (run as a target). */
  initFeed: Out;
  initOp: string;
  /** A read for fetching its current value (outside the step). */
  peek: Out;
}

/** Builds one graph; owns its native handle until dispose(). */
export class GraphBuilder {
  readonly handle: GraphHandle;
  private count = 0;
  private readonly scalars = new Map<number, Out>();
  private disposed = false;

  constructor(readonly addon: TfGraphAddon) {
    this.handle = addon.graphNew();
  }

  /** Add an operation named `name` (made unique); returns the operation's name. */
  op(type: string, inputs: (Out | Out[])[], attrs: RawAttr[] = [], name = type, control: string[] = []): string {
    const unique = `${name.replace(/[^A-Za-z0-9_.\-/]/g, '_')}_${this.count++}`;
    return this.addon.addOp(this.handle, type, unique, inputs, attrs, control);
  }

  /** Add an operation and return its first output (float32 ops get T = float32 unless attrs say otherwise). */
  out(type: string, inputs: (Out | Out[])[], attrs: RawAttr[] = [], name = type, control: string[] = []): Out {
    return `${this.op(type, inputs, attrs, name, control)}:0`;
  }

  /** Static shape of an output (throws when it is not fully known: the step is built for one batch size). */
  shape(t: Out): number[] {
    const s = this.addon.shapeOf(this.handle, t);
    if (!s || s.some((d) => d < 0)) throw new GankitError(`Graph output ${t} has no static shape (${JSON.stringify(s)})`);
    return s;
  }

  /** A float32 or int32 constant of a shape. */
  constant(values: ArrayLike<number>, shape: number[], dtype: 'float32' | 'int32' = 'float32'): Out {
    const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
    const dt = DT[dtype];
    return this.out('Const', [], [['dtype', 'type', dt], ['value', 'tensor', [dt, shape, data]]], 'const');
  }

  /** A float32 scalar constant (one per value). */
  scalar(v: number): Out {
    let t = this.scalars.get(v);
    if (!t) { t = this.constant([v], []); this.scalars.set(v, t); }
    return t;
  }

  /** An int32 vector constant (shapes, axes). */
  ints(values: number[]): Out {
    return this.constant(values, [values.length], 'int32');
  }

  placeholder(name: string, shape: number[], dtype: 'float32' | 'int32' = 'float32'): Out {
    return this.out('Placeholder', [], [['dtype', 'type', DT[dtype]], ['shape', 'shape', shape]], name);
  }

  /** A float32 resource variable with its init feed and a peek read. */
  variable(name: string, shape: number[]): GraphVariable {
    const handle = this.out('VarHandleOp', [], [
      ['dtype', 'type', DT.float32], ['shape', 'shape', shape], ['shared_name', 'string', `${name}_${this.count}`],
    ], name);
    const initFeed = this.placeholder(`${name}/init_value`, shape);
    const initOp = this.op('AssignVariableOp', [handle, initFeed], [['dtype', 'type', DT.float32]], `${name}/init`);
    return { handle, shape, initFeed, initOp, peek: this.read({ handle, shape } as GraphVariable) };
  }

  /** Read a variable, after the operations in `after` (control dependencies). */
  read(v: Pick<GraphVariable, 'handle'>, after: string[] = []): Out {
    return this.out('ReadVariableOp', [v.handle], [['dtype', 'type', DT.float32]], `${opOf(v.handle)}/read`, after);
  }

  /** Store a value in a variable; returns the assign operation's name. */
  assign(v: Pick<GraphVariable, 'handle'>, value: Out, after: string[] = []): string {
    return this.op('AssignVariableOp', [v.handle, value], [['dtype', 'type', DT.float32]], `${opOf(v.handle)}/assign`, after);
  }

  /** A NoOp that runs after all of `ops`. */
  group(name: string, ops: string[]): string {
    return this.op('NoOp', [], [], name, ops);
  }

  /**
   * d(sum ys)/d xs (seeded with `dys` when given: a constant seed keeps OnesLike, which has no gradient,
   * out of gradients that are differentiated again); throws a GankitError naming TensorFlow's reason.
   */
  gradients(ys: Out[], xs: Out[], prefix: string, dys: Out[] | null = null): Out[] {
    let grads: (Out | null)[];
    try {
      grads = this.addon.addGradients(this.handle, `${prefix}_${this.count++}`, ys, xs, dys);
    } catch (e) {
      throw new GankitError(`TensorFlow has no gradient for this graph: ${(e as Error).message}`);
    }
    // A weight the loss does not depend on gets a zero gradient (tfjs: the same zeros).
    return grads.map((g, i) => g ?? this.out('ZerosLike', [xs[i]!], [['T', 'type', DT.float32]]));
  }

  // ------------------------------------------------------------ float32 math (T = float32)
  private f(type: string, inputs: Out[], name?: string, attrs: RawAttr[] = []): Out {
    return this.out(type, inputs, [['T', 'type', DT.float32], ...attrs], name ?? type);
  }
  add(a: Out, b: Out): Out { return this.f('AddV2', [a, b]); }
  sub(a: Out, b: Out): Out { return this.f('Sub', [a, b]); }
  mul(a: Out, b: Out): Out { return this.f('Mul', [a, b]); }
  div(a: Out, b: Out): Out { return this.f('RealDiv', [a, b]); }
  neg(a: Out): Out { return this.f('Neg', [a]); }
  square(a: Out): Out { return this.f('Square', [a]); }
  sqrt(a: Out): Out { return this.f('Sqrt', [a]); }
  rsqrt(a: Out): Out { return this.f('Rsqrt', [a]); }
  pow(a: Out, b: Out): Out { return this.f('Pow', [a, b]); }
  abs(a: Out): Out { return this.f('Abs', [a]); }
  exp(a: Out): Out { return this.f('Exp', [a]); }
  log1p(a: Out): Out { return this.f('Log1p', [a]); }
  relu(a: Out): Out { return this.f('Relu', [a]); }
  tanh(a: Out): Out { return this.f('Tanh', [a]); }
  sigmoid(a: Out): Out { return this.f('Sigmoid', [a]); }
  softplus(a: Out): Out { return this.f('Softplus', [a]); }
  leakyRelu(a: Out, alpha: number): Out { return this.f('LeakyRelu', [a], 'LeakyRelu', [['alpha', 'float', alpha]]); }
  stopGradient(a: Out): Out { return this.f('StopGradient', [a]); }
  /** a x b, or a x transpose(b). */
  matMul(a: Out, b: Out, transposeB = false): Out { return this.f('MatMul', [a, b], 'MatMul', [['transpose_a', 'bool', false], ['transpose_b', 'bool', transposeB]]); }
  biasAdd(a: Out, b: Out): Out { return this.f('BiasAdd', [a, b], 'BiasAdd', [['data_format', 'string', 'NHWC']]); }
  /** Sum over axes (keepDims false unless asked). */
  sum(a: Out, axes: number[], keepDims = false): Out {
    return this.out('Sum', [a, this.ints(axes)], [['T', 'type', DT.float32], ['Tidx', 'type', DT.int32], ['keep_dims', 'bool', keepDims]]);
  }
  mean(a: Out, axes: number[], keepDims = false): Out {
    return this.out('Mean', [a, this.ints(axes)], [['T', 'type', DT.float32], ['Tidx', 'type', DT.int32], ['keep_dims', 'bool', keepDims]]);
  }
  reshape(a: Out, shape: number[]): Out {
    return this.out('Reshape', [a, this.ints(shape)], [['T', 'type', DT.float32], ['Tshape', 'type', DT.int32]]);
  }
  concat(xs: Out[], axis: number): Out {
    return this.out('ConcatV2', [xs, this.constant([axis], [], 'int32')], [['T', 'type', DT.float32], ['N', 'int', xs.length], ['Tidx', 'type', DT.int32]]);
  }
  /** Stack scalars into a vector. */
  pack(xs: Out[]): Out {
    return this.out('Pack', [xs], [['T', 'type', DT.float32], ['N', 'int', xs.length], ['axis', 'int', 0]]);
  }

  /** Free the graph (sessions built on it must be disposed first; safe to call twice). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.addon.graphDispose(this.handle);
  }
}
