/**
 * The lazy loader of TensorFlow.js for the latent explorer. The dynamic imports make the bundler put
 * tfjs (and its wasm backend) in their own chunks, fetched only when the first explorer is shown, as
 * plotly is for plots. Backends in order of preference: webgl on a hardware GPU, else wasm (SIMD,
 * XNNPACK), else the pure-JS cpu backend. Software WebGL (SwiftShader, llvmpipe) is passed over: it is
 * several times slower than wasm. The chosen backend and why the others were passed over are reported.
 */
export type Tfjs = typeof import('@tensorflow/tfjs');
export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface TfjsRuntime {
  tf: Tfjs;
  /** The active backend. */
  backend: BackendName;
  /** Why backends above it were not used (empty when the first one worked). */
  skipped: string[];
}

/** Backends tried in order; the first that may and does start is used. */
export const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** The WebGL renderer's name in this page, or null without WebGL. */
export function webglRenderer(doc: Document | undefined): string | null {
  const canvas = doc?.createElement('canvas');
  const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null | undefined;
  if (!gl) {
    return null;
  }
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/** Why `name` may not be used here, or null when it may be tried. */
async function unusable(name: BackendName, doc: Document | undefined): Promise<string | null> {
  if (name === 'webgl') {
    const renderer = webglRenderer(doc);
    if (renderer === null) {
      return 'no WebGL in this page';
    }
    const soft = /swiftshader|llvmpipe|softpipe|software/i.exec(renderer);
    if (soft) {
      return `software WebGL (${soft[0]})`;
    }
  }
  if (name === 'wasm') {
    if (typeof WebAssembly !== 'object') {
      return 'no WebAssembly in this page';
    }
    await import(/* webpackChunkName: "tfjs-wasm" */ './explorer/wasm-backend');
  }
  return null;
}

async function start(tf: Tfjs, order: readonly BackendName[]): Promise<TfjsRuntime> {
  const skipped: string[] = [];
  const doc = typeof document === 'undefined' ? undefined : document;
  for (const name of order) {
    const why = await unusable(name, doc);
    if (why !== null) {
      skipped.push(`${name}: ${why}`);
      continue;
    }
    // setBackend resolves false when the backend cannot start here.
    if (await tf.setBackend(name)) {
      await tf.ready();
      return { tf, backend: name, skipped };
    }
    skipped.push(`${name}: could not initialise`);
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

const loading = new Map<string, Promise<TfjsRuntime>>();

/** Load tfjs once and start the first usable backend of `order`; a failed load is retried on the next call. */
export function loadTfjs(order: readonly BackendName[] = BACKENDS): Promise<TfjsRuntime> {
  const key = order.join(',');
  let p = loading.get(key);
  if (!p) {
    p = import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs')
      .then(tf => start(tf, order))
      .catch(e => {
        loading.delete(key);
        throw e;
      });
    loading.set(key, p);
  }
  return p;
}
