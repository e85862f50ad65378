/**
 * Loader of gankit_tfgraph (addon/tfgraph, built by scripts/build-tfgraph.sh): the Node-API binding
 * to TensorFlow's graph C API that runs a whole GAN step as one graph. It links the TF C library of
 * tfjs-node's binding (.cache/libtensorflow), so both share one TensorFlow in the process.
 * `tfgraphStatus()` says whether it loaded, or why not.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A tensor crossing the binding: [TF_DataType code, shape, data (a copy)]. */
export type RawTensor = [number, number[], Float32Array | Int32Array | Uint8Array];

/** An attribute of an operation: [name, kind, value]. */
export type RawAttr =
  | [string, 'int' | 'float' | 'type', number]
  | [string, 'bool', boolean]
  | [string, 'string', string]
  | [string, 'ints' | 'floats' | 'types', number[]]
  | [string, 'shape', number[] | null]
  | [string, 'tensor', RawTensor];

/** Opaque native handles (freed by graphDispose / sessionDispose, or by their finalizers). */
export type GraphHandle = { readonly __graph: unique symbol };
export type SessionHandle = { readonly __session: unique symbol };

/** The binding's functions (synchronous; each throws an Error with TensorFlow's message on failure). */
export interface TfGraphAddon {
  version(): string;
  graphNew(): GraphHandle;
  graphDispose(graph: GraphHandle): void;
  /** The graph as a serialized GraphDef (protobuf bytes), for TensorFlow's inspection and profiling tools. */
  graphDef(graph: GraphHandle): Buffer;
  /** Add an operation; inputs are "op:index" names (an array for a list input); returns its name. */
  addOp(graph: GraphHandle, type: string, name: string, inputs: (string | string[])[], attrs: RawAttr[], controlInputs: string[]): string;
  /** Static shape of an output: dims (-1 unknown), or null for an unknown rank. */
  shapeOf(graph: GraphHandle, output: string): number[] | null;
  /** Symbolic gradients d(sum ys)/d xs (null where no path), op names starting with prefix. */
  addGradients(graph: GraphHandle, prefix: string, ys: string[], xs: string[], dxs: string[] | null): (string | null)[];
  /** A session with its own thread configuration (0: TensorFlow's default). */
  sessionNew(graph: GraphHandle, intraOp: number, interOp: number): SessionHandle;
  sessionDispose(session: SessionHandle): void;
  /** One TF_SessionRun: feeds [output, dtype, shape, data], fetched outputs, target op names. */
  sessionRun(session: SessionHandle, feeds: [string, number, number[], Float32Array | Int32Array | Uint8Array][], fetches: string[], targets: string[]): RawTensor[];
}

/** TF_DataType codes used by gankit. */
export const DT = { float32: 1, int32: 3, bool: 10 } as const;

/** Where the addon is looked for: addon/tfgraph/build/Release above this module (src/gan/compiled/ under tsx, dist/src/gan/compiled/ when built). */
function candidates(): string[] {
  const built = 'addon/tfgraph/build/Release/gankit_tfgraph.node';
  return [`../../../${built}`, `../../../../${built}`].map((p) => fileURLToPath(new URL(p, import.meta.url)));
}

function load(): { addon: TfGraphAddon | undefined; status: string } {
  const path = candidates().find((p) => existsSync(p));
  if (!path) return { addon: undefined, status: 'gankit_tfgraph not built (run bash scripts/build-tfgraph.sh)' };
  try {
    const addon = createRequire(import.meta.url)(path) as TfGraphAddon;
    return { addon, status: `gankit_tfgraph ${path} (TensorFlow ${addon.version()})` };
  } catch (e) {
    return { addon: undefined, status: `gankit_tfgraph at ${path} failed to load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  }
}

let loaded: ReturnType<typeof load> | undefined;

/** The loaded binding, or undefined when it is not built or does not load (see tfgraphStatus). */
export function tfgraphAddon(): TfGraphAddon | undefined {
  loaded ??= load();
  return loaded.addon;
}

/** Which binding runs compiled steps, or why none does. */
export function tfgraphStatus(): string {
  loaded ??= load();
  return loaded.status;
}
